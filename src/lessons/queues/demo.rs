//! queues: (being written).

use crate::engine::Outcome;
use crate::params::Params;

pub fn fifo(_p: &Params) -> Outcome {
    Outcome::new()
}

pub fn lifo(_p: &Params) -> Outcome {
    Outcome::new()
}

pub fn priority(_p: &Params) -> Outcome {
    Outcome::new()
}

pub fn bounded(_p: &Params) -> Outcome {
    Outcome::new()
}
