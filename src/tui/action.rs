//! What a key means (`Action`, depending on the screen) and what the app asks the loop to do
//! (`Effect`): the app performs no I/O, it returns effects as data.

use super::compare::{JobRequest, SaveRequest};
use crate::engine::{Mode, Tid};
use crate::params::Params;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A user's intent, decoded from a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    /// Esc: close the help, or leave the lesson for the menu.
    Back,
    ToggleLang,
    Up,
    Down,
    /// Enter on the menu: open the selected lesson.
    Open,
    PrevStep,
    NextStep,
    /// Enter or r in a lesson: run the selected variant.
    Run,
    NextVariant,
    PrevVariant,
    Pause,
    /// n: one operation in step mode (the scheduler's pick); starts a step-mode run otherwise.
    StepNext,
    /// Tab: choose which thread `s` moves (step mode).
    ChooseThread,
    ChooseThreadBack,
    /// s: move the chosen thread (step mode).
    StepChosen,
    CycleMode,
    Faster,
    Slower,
    Reset,
    LanesUp,
    LanesDown,
    LanesFirst,
    LanesLast,
    /// c: the comparison of the lesson's variants (again: back to the lesson).
    Compare,
    /// w: the sweep of one parameter (again: back to the lesson).
    Sweep,
    // ---- you are the scheduler; challenges and predictions ----
    /// o: the left panel shows the step text or the demo's source.
    ToggleSource,
    /// x: the lesson's challenges (Enter takes one on).
    Challenges,
    /// u: step back one scheduling decision (step mode).
    Undo,
    /// U: make the undone decision again.
    Redo,
    /// S: move the chosen thread until it blocks or finishes (step mode).
    RunChosen,
    /// W: write the run's schedule to a file.
    SaveSchedule,
    /// 1-9: answer the question asked before a run.
    Answer(u8),
    /// X on the menu: forget all progress (asks to press it again).
    ForgetProgress,
}

impl Action {
    /// The action of a key, the same on every screen (the app ignores what does not apply).
    pub fn from_key(key: KeyEvent) -> Option<Action> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        Some(match key.code {
            KeyCode::Char('c') if ctrl => Action::Quit,
            _ if ctrl => return None,
            KeyCode::Char('q') => Action::Quit,
            KeyCode::Char('?') | KeyCode::F(1) => Action::Help,
            KeyCode::Esc => Action::Back,
            KeyCode::Char('L') => Action::ToggleLang,
            KeyCode::Up | KeyCode::Char('k') => Action::Up,
            KeyCode::Down | KeyCode::Char('j') => Action::Down,
            KeyCode::Left | KeyCode::Char('h') => Action::PrevStep,
            KeyCode::Right | KeyCode::Char('l') => Action::NextStep,
            KeyCode::Enter => Action::Open,
            KeyCode::Char('r') => Action::Run,
            KeyCode::Char('v') => Action::NextVariant,
            KeyCode::Char('V') => Action::PrevVariant,
            KeyCode::Char(' ') => Action::Pause,
            KeyCode::Char('n') => Action::StepNext,
            KeyCode::Tab => Action::ChooseThread,
            KeyCode::BackTab => Action::ChooseThreadBack,
            KeyCode::Char('s') => Action::StepChosen,
            KeyCode::Char('m') => Action::CycleMode,
            KeyCode::Char('+') | KeyCode::Char('=') => Action::Faster,
            KeyCode::Char('-') | KeyCode::Char('_') => Action::Slower,
            KeyCode::Char('R') => Action::Reset,
            KeyCode::PageUp => Action::LanesUp,
            KeyCode::PageDown => Action::LanesDown,
            KeyCode::Home => Action::LanesFirst,
            KeyCode::End => Action::LanesLast,
            KeyCode::Char('c') => Action::Compare,
            KeyCode::Char('w') => Action::Sweep,
            KeyCode::Char('o') => Action::ToggleSource,
            KeyCode::Char('x') => Action::Challenges,
            KeyCode::Char('u') => Action::Undo,
            KeyCode::Char('U') => Action::Redo,
            KeyCode::Char('S') => Action::RunChosen,
            KeyCode::Char('W') => Action::SaveSchedule,
            KeyCode::Char(d @ '1'..='9') => Action::Answer(d as u8 - b'0'),
            KeyCode::Char('X') => Action::ForgetProgress,
            _ => return None,
        })
    }
}

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
