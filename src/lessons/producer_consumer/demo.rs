//! producer-consumer: (being written).

use crate::engine::Outcome;
use crate::params::Params;

pub fn sentinel(_p: &Params) -> Outcome {
    Outcome::new()
}

pub fn main_sentinel(_p: &Params) -> Outcome {
    Outcome::new()
}

pub fn many(_p: &Params) -> Outcome {
    Outcome::new()
}

pub fn too_few_sentinels(_p: &Params) -> Outcome {
    Outcome::new()
}

pub fn joinable(_p: &Params) -> Outcome {
    Outcome::new()
}
