//! kettle: (being written).

use crate::engine::Outcome;
use crate::params::Params;

pub fn sync_blocking(_p: &Params) -> Outcome {
    Outcome::new()
}

pub fn sync_nonblocking(_p: &Params) -> Outcome {
    Outcome::new()
}

pub fn async_blocking(_p: &Params) -> Outcome {
    Outcome::new()
}

pub fn async_nonblocking(_p: &Params) -> Outcome {
    Outcome::new()
}
