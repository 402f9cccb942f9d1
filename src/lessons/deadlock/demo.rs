//! deadlock: (being written).

use crate::engine::Outcome;
use crate::params::Params;

pub fn two_locks(_p: &Params) -> Outcome {
    Outcome::new()
}

pub fn self_deadlock(_p: &Params) -> Outcome {
    Outcome::new()
}

pub fn rlock(_p: &Params) -> Outcome {
    Outcome::new()
}

pub fn ordering(_p: &Params) -> Outcome {
    Outcome::new()
}
