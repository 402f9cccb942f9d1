//! `lockstep __child SPEC`: the binary started again as a live child process. It finds the
//! process function the spec names in the lessons' tables and runs it (see `engine::child`).

use crate::engine::child::{self, Spec};
use std::process::ExitCode;

/// Run as the child the spec (JSON, the second argument) describes; its exit code.
pub fn main(spec: &str) -> ExitCode {
    let Ok(spec) = serde_json::from_str::<Spec>(spec) else {
        return ExitCode::from(2);
    };
    let (spec, f) = match crate::lessons::process_fn(&spec.function) {
        Some(p) => (spec, p.run),
        // Say so where the learner looks: in the child's log, as a raise.
        None => {
            let name = serde_json::Value::from(spec.function.clone());
            (Spec { arg: name, ..spec }, missing as fn(serde_json::Value))
        }
    };
    let code = child::serve(spec, f);
    ExitCode::from(code.clamp(0, 255) as u8)
}

/// Stands in for a function no lesson lists: raises, naming it.
fn missing(name: serde_json::Value) {
    panic!(
        "{} is not a process function of any lesson (list it with process_fn! in the lesson's PROCESSES)",
        name.as_str().unwrap_or("?")
    );
}
