//! What the app asks the loop to do (`Effect`): the app performs no I/O, it returns effects as
//! data. What keys mean is in `keys`.

use super::timing::{JobRequest, SaveRequest};
use crate::engine::{Mode, Tid};
use crate::params::Params;

/// A run the app wants started.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRequest {
    /// Numbers the app's runs: whatever arrives for an older run is ignored.
    pub generation: u64,
    pub lesson: String,
    pub variant: String,
    pub params: Params,
    pub mode: Mode,
    pub scale: f64,
    /// `None`: a fresh seed (the session picks it and tells the app).
    pub seed: Option<u64>,
    /// Scheduling choices to replay first (step mode: undo replays all but the last).
    pub schedule: Vec<Tid>,
}

/// What the app asks the loop to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Cancel the current run, if any, and start this one.
    Start(RunRequest),
    /// Cancel the current run and forget it.
    Cancel,
    /// Step mode: one operation by this thread, or by the scheduler's pick.
    Step(Option<Tid>),
    /// Live mode: hold every thread, or let them go.
    Pause(bool),
    /// Step mode: keep moving this thread until it blocks, finishes or the run ends.
    Hold(Tid),
    /// Write this schedule to a file; the app hears back through `on_schedule_saved`.
    SaveSchedule(crate::schedule::Schedule),
    /// Write a Chrome trace of the run as a new file named like `name` (`-2`, ... if taken);
    /// the app hears back through `on_trace_saved`.
    SaveTrace {
        name: String,
        text: String,
    },
    /// Explore every schedule of a variant on the explorer's thread (stopping any going).
    Explore(super::explorer::ExploreRequest),
    /// Stop the exploration going.
    StopExplore,
    Quit,
    /// Record or sweep on a background thread (one job at a time).
    Job(JobRequest),
    /// Stop the job going: its run is cancelled, no further run starts.
    StopJob,
    /// Write a comparison or a sweep to a file in the save directory.
    Save(SaveRequest),
    /// A chapter mark in the classroom recording (`--cast`), e.g. "lock-vs-join step 3".
    Mark(String),
}
