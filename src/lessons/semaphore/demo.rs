//! semaphore: (being written).

use crate::engine::Outcome;
use crate::params::Params;

pub fn stalls(_p: &Params) -> Outcome {
    Outcome::new()
}

pub fn mutex(_p: &Params) -> Outcome {
    Outcome::new()
}

pub fn unbounded(_p: &Params) -> Outcome {
    Outcome::new()
}
