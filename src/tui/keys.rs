//! What keys mean, for each part of the screen that can have them. `App::focus` says who has
//! the keys (`Focus`), and each focus decodes a key here, in one place: the lesson and the menu
//! into an `Action`, the timing views into a `TimingKey`, the sweep's value line into a
//! `TypingKey`. The app then handles what was decoded; nothing here changes state.

use super::timing::Pane;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Who has the keys, in the order `App::focus` decides it: the help over anything, then the
/// sweep's values being typed, a question waiting for its answer, a timing view, and under
/// them all the menu or the lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Help,
    Typing,
    Question,
    /// The outcome explorer's box (`e`).
    Explorer,
    Timing(Pane),
    Menu,
    Lesson,
}

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
    /// T: write the run as a Chrome trace (Perfetto, chrome://tracing).
    SaveTrace,
    /// e: every way the variant can end (the outcome explorer); again, back to the lesson.
    Explore,
    /// 1-9: answer the question asked before a run.
    Answer(u8),
    /// X on the menu: forget all progress (asks to press it again).
    ForgetProgress,
    /// d: put away the result box (the log comes back).
    Dismiss,
    /// p: the left panel shows the lesson's parameters, to change them.
    Params,
    /// P: every parameter back to the lesson's default.
    ResetParams,
    /// C: the next look (dark, light, high contrast, no colour).
    CycleLook,
    /// z: presenter mode.
    Present,
    /// N on the menu: a new class (every prediction asked again; asks to press it again).
    NewClass,
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
            KeyCode::Char('T') => Action::SaveTrace,
            KeyCode::Char('e') => Action::Explore,
            KeyCode::Char(d @ '1'..='9') => Action::Answer(d as u8 - b'0'),
            KeyCode::Char('X') => Action::ForgetProgress,
            KeyCode::Char('d') => Action::Dismiss,
            KeyCode::Char('p') => Action::Params,
            KeyCode::Char('P') => Action::ResetParams,
            KeyCode::Char('C') => Action::CycleLook,
            KeyCode::Char('z') => Action::Present,
            KeyCode::Char('N') => Action::NewClass,
            _ => return None,
        })
    }
}

/// A key in a timing view (compare or sweep).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimingKey {
    /// Esc: stop the job going, or back to the lesson.
    Back,
    /// c / w: that view (again: back to the lesson).
    Show(Pane),
    /// Tab: the other view.
    Switch,
    /// Enter / r: record afresh (compare) or run the sweep.
    Run,
    /// s: save what the view shows.
    Save,
    /// f: the next file format.
    Format,
    /// 1-9: runs per variant of a recording.
    Repeat(u8),
    /// e: type the sweep's values.
    Edit,
    /// g: time on a log scale.
    LogScale,
    /// ←/→ (and p): the swept parameter.
    Param(bool),
    /// m: the sweep's mode.
    Mode,
    Faster,
    Slower,
    /// ↑, PgUp, Home: older runs of the history (by this many rows).
    Older(usize),
    /// ↓, PgDn, End: newer runs.
    Newer(usize),
}

impl TimingKey {
    /// What a lesson action means in a timing view, if anything.
    pub fn from_action(a: Action) -> Option<TimingKey> {
        Some(match a {
            Action::Back => TimingKey::Back,
            Action::Compare => TimingKey::Show(Pane::Compare),
            Action::Sweep => TimingKey::Show(Pane::Sweep),
            Action::ChooseThread | Action::ChooseThreadBack => TimingKey::Switch,
            Action::Open | Action::Run => TimingKey::Run,
            Action::StepChosen => TimingKey::Save,
            Action::Faster => TimingKey::Faster,
            Action::Slower => TimingKey::Slower,
            Action::PrevStep => TimingKey::Param(false),
            Action::NextStep => TimingKey::Param(true),
            Action::CycleMode => TimingKey::Mode,
            Action::Up => TimingKey::Older(1),
            Action::Down => TimingKey::Newer(1),
            Action::LanesUp => TimingKey::Older(5),
            Action::LanesDown => TimingKey::Newer(5),
            Action::LanesFirst => TimingKey::Older(usize::MAX),
            Action::LanesLast => TimingKey::Newer(usize::MAX),
            Action::Answer(n) => TimingKey::Repeat(n),
            _ => return None,
        })
    }
}

/// A key while the sweep's values are typed: everything is text but these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypingKey {
    Char(char),
    Backspace,
    /// Ctrl-U.
    Clear,
    /// Enter.
    Done,
    /// Esc.
    Cancel,
}

/// Keys that mean the same everywhere but while typing: quit, help, language.
pub fn global(key: KeyEvent) -> Option<Action> {
    match Action::from_key(key)? {
        a @ (Action::Quit
        | Action::Help
        | Action::ToggleLang
        | Action::CycleLook
        | Action::Present) => Some(a),
        _ => None,
    }
}

/// The menu's keys.
pub fn menu(key: KeyEvent) -> Option<Action> {
    match Action::from_key(key)? {
        a @ (Action::Up
        | Action::Down
        | Action::Open
        | Action::Run
        | Action::Back
        | Action::NewClass
        | Action::ForgetProgress) => Some(a),
        _ => None,
    }
}

/// The lesson's keys (what each means may depend on its left panel: the step text, the source,
/// or the challenge list).
pub fn lesson(key: KeyEvent) -> Option<Action> {
    Action::from_key(key)
}

/// The outcome explorer's keys: choose an ending, step through it, save it, close.
pub fn explorer(key: KeyEvent) -> Option<Action> {
    match Action::from_key(key)? {
        a @ (Action::Up
        | Action::Down
        | Action::Open
        | Action::Run
        | Action::Back
        | Action::Explore
        | Action::SaveSchedule) => Some(a),
        _ => None,
    }
}

/// The help's keys: Esc closes it (as `?` does, a global key).
pub fn help(key: KeyEvent) -> Option<Action> {
    (key.code == KeyCode::Esc).then_some(Action::Back)
}

/// A question's keys: 1-9 answers, Esc puts it off.
pub fn question(key: KeyEvent) -> Option<Action> {
    match Action::from_key(key)? {
        a @ (Action::Answer(_) | Action::Back) => Some(a),
        _ => None,
    }
}

/// A timing view's keys: its own letters, then the lesson's keys as they apply there.
pub fn timing(pane: Pane, key: KeyEvent) -> Option<TimingKey> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return None;
    }
    let own = match (pane, key.code) {
        (_, KeyCode::Char('f')) => Some(TimingKey::Format),
        (Pane::Compare, KeyCode::Char(d @ '1'..='9')) => Some(TimingKey::Repeat(d as u8 - b'0')),
        (Pane::Sweep, KeyCode::Char('1'..='9')) => return None,
        (Pane::Sweep, KeyCode::Char('e')) => Some(TimingKey::Edit),
        (Pane::Sweep, KeyCode::Char('g')) => Some(TimingKey::LogScale),
        (Pane::Sweep, KeyCode::Char('p')) => Some(TimingKey::Param(true)),
        _ => None,
    };
    own.or_else(|| Action::from_key(key).and_then(TimingKey::from_action))
}

/// The sweep's value line: Ctrl-C still quits (the caller checks it first).
pub fn typing(key: KeyEvent) -> Option<TypingKey> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('u') if ctrl => TypingKey::Clear,
        KeyCode::Char(_) if ctrl => return None,
        KeyCode::Char(c) => TypingKey::Char(c),
        KeyCode::Backspace => TypingKey::Backspace,
        KeyCode::Enter => TypingKey::Done,
        KeyCode::Esc => TypingKey::Cancel,
        _ => return None,
    })
}

/// Ctrl-C: quits from anywhere, typing included.
pub fn is_interrupt(key: KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c')
}
