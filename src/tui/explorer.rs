//! Every interleaving, in the app: `e` runs the outcome explorer on the lesson's variant (on
//! its own thread, with progress) and shows how many schedules end each way; Enter opens an
//! ending's shortest schedule in step mode, to walk through with `U` (and back with `u`);
//! `W` saves it. `T` writes the run on screen as a Chrome trace.

use super::action::Effect;
use super::app::App;
use super::keys::Action;
use crate::chrome_trace::{self, TracedRun};
use crate::engine::Mode;
use crate::explore::{self, Exploration, Spec};
use crate::lessons;
use crate::params::Params;
use crate::words::explore::Words;
use crossbeam_channel::{Receiver, Sender, unbounded};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The explorer box: the variant explored, its progress, then its endings.
#[derive(Debug)]
pub(crate) struct Explorer {
    pub id: u64,
    pub variant: String,
    pub runs: usize,
    pub counted: usize,
    pub result: Option<Exploration>,
    pub selected: usize,
}

/// The app's part in exploring and tracing.
#[derive(Debug, Default)]
pub(crate) struct Exploring {
    pub view: Option<Explorer>,
    next_id: u64,
    /// The trace being saved holds only this many events (it reached the cap).
    trace_kept: Option<usize>,
}

/// What the app asks the explorer's thread to do.
#[derive(Clone, Debug, PartialEq)]
pub struct ExploreRequest {
    pub id: u64,
    pub lesson: String,
    pub variant: String,
    pub params: Params,
    pub scale: f64,
    pub seed: u64,
}

/// What the explorer's thread says.
pub enum ExploreNews {
    Progress {
        id: u64,
        runs: usize,
        counted: usize,
    },
    Done {
        id: u64,
        result: Box<Exploration>,
    },
}

/// Runs one exploration at a time off the UI thread; a stop ends it after the run going.
pub struct ExploreJob {
    tx: Sender<ExploreNews>,
    rx: Receiver<ExploreNews>,
    stop: Option<Arc<AtomicBool>>,
}

impl Default for ExploreJob {
    fn default() -> ExploreJob {
        let (tx, rx) = unbounded();
        ExploreJob { tx, rx, stop: None }
    }
}

impl ExploreJob {
    pub fn news(&self) -> Receiver<ExploreNews> {
        self.rx.clone()
    }

    pub fn stop(&mut self) {
        if let Some(s) = self.stop.take() {
            s.store(true, Ordering::Release);
        }
    }

    pub fn start(&mut self, req: ExploreRequest) {
        self.stop();
        let Some(lesson) = lessons::find(&req.lesson) else {
            return;
        };
        let stop = Arc::new(AtomicBool::new(false));
        self.stop = Some(stop.clone());
        let tx = self.tx.clone();
        let spec = Spec {
            lesson,
            variant: req.variant,
            params: req.params,
            scale: req.scale,
            seed: req.seed,
            max_runs: explore::MAX_RUNS,
            samples: explore::SAMPLES,
            time_limit: explore::TIME_LIMIT,
            reduce: true,
        };
        let id = req.id;
        let _ = std::thread::Builder::new()
            .name("lockstep explore".into())
            .spawn(move || {
                let progress_tx = tx.clone();
                let mut progress = |runs: usize, counted: usize| {
                    if runs.is_multiple_of(25) {
                        let _ = progress_tx.send(ExploreNews::Progress { id, runs, counted });
                    }
                };
                let result =
                    explore::explore(&spec, &mut progress, &|| stop.load(Ordering::Acquire));
                let _ = tx.send(ExploreNews::Done {
                    id,
                    result: Box::new(result),
                });
            });
    }
}

impl App {
    fn xw(&self) -> Words {
        Words(self.lang)
    }

    /// `T`: the run on screen as a Chrome trace, saved beside its schedules.
    pub(crate) fn save_trace(&mut self) -> Vec<Effect> {
        let Some(r) = &self.run else {
            self.note = Some(self.xw().no_run_to_trace().into());
            return Vec::new();
        };
        let Some(seed) = r.seed else {
            self.note = Some(self.sw().wait_for_start().into());
            return Vec::new();
        };
        let label = format!("{} {}", r.variant, r.mode.name());
        let w = chrome_trace::write(
            &[TracedRun {
                label: &label,
                events: &r.events,
            }],
            chrome_trace::MAX_EVENTS,
        );
        self.exploring.trace_kept = (w.left_out > 0).then_some(w.events);
        let name = format!(
            "{}-{}-{}-seed{seed}.trace.json",
            self.entry().text.id,
            r.variant,
            r.mode.name()
        );
        vec![Effect::SaveTrace { name, text: w.json }]
    }

    /// Where the trace went, or why it did not.
    pub fn on_trace_saved(&mut self, result: Result<String, String>) {
        let w = self.xw();
        self.note = Some(match (result, self.exploring.trace_kept.take()) {
            (Ok(file), None) => w.trace_saved(&file),
            (Ok(file), Some(kept)) => w.trace_saved_cut(&file, kept),
            (Err(why), _) => w.trace_not_saved(&why),
        });
    }

    /// `e`: explore the variant chosen (again, or Esc: back to the lesson).
    pub(crate) fn toggle_explorer(&mut self) -> Vec<Effect> {
        if self.exploring.view.take().is_some() {
            return vec![Effect::StopExplore];
        }
        self.exploring.next_id += 1;
        let id = self.exploring.next_id;
        let variant = self.variant_id().to_string();
        self.exploring.view = Some(Explorer {
            id,
            variant: variant.clone(),
            runs: 0,
            counted: 0,
            result: None,
            selected: 0,
        });
        vec![Effect::Explore(ExploreRequest {
            id,
            lesson: self.entry().text.id.clone(),
            variant,
            params: self.entry().params.clone(),
            scale: self.scale,
            seed: self.seed.unwrap_or(1),
        })]
    }

    /// A key while the explorer is open.
    pub(crate) fn explorer_act(&mut self, action: Action) -> Vec<Effect> {
        let Some(x) = self.exploring.view.as_mut() else {
            return Vec::new();
        };
        let endings = x.result.as_ref().map_or(0, |r| r.endings.len());
        match action {
            Action::Back | Action::Explore => return self.toggle_explorer(),
            Action::Up => x.selected = x.selected.saturating_sub(1),
            Action::Down => x.selected = (x.selected + 1).min(endings.saturating_sub(1)),
            Action::Open | Action::Run => return self.open_ending(),
            Action::SaveSchedule => {
                let s = x.result.as_ref().and_then(|r| r.schedule(x.selected));
                if let Some(s) = s {
                    return vec![Effect::SaveSchedule(s)];
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// Step mode on the selected ending's shortest schedule: `U` makes its choices one by one.
    fn open_ending(&mut self) -> Vec<Effect> {
        let Some(x) = self.exploring.view.as_ref() else {
            return Vec::new();
        };
        let Some(r) = &x.result else {
            return Vec::new();
        };
        let Some(e) = r.endings.get(x.selected) else {
            return Vec::new();
        };
        let (variant, params, scale, seed) = (r.variant.clone(), r.params.clone(), r.scale, r.seed);
        let choices = e.shortest.clone();
        self.exploring.view = None;
        self.mode = Mode::Step;
        let mut effects = vec![Effect::StopExplore];
        effects.extend(self.start_with(variant, params, Mode::Step, scale, Some(seed), Vec::new()));
        self.study.redo = choices.iter().rev().copied().collect();
        self.chosen = choices.first().copied();
        self.note = Some(self.xw().opened(choices.len()));
        effects
    }

    /// The explorer's result on screen, once it has one.
    pub fn explored(&self) -> Option<&Exploration> {
        self.exploring.view.as_ref()?.result.as_ref()
    }

    /// News from the explorer's thread.
    pub fn on_explore(&mut self, news: ExploreNews) {
        let Some(x) = self.exploring.view.as_mut() else {
            return;
        };
        match news {
            ExploreNews::Progress { id, runs, counted } if id == x.id => {
                (x.runs, x.counted) = (runs, counted);
            }
            ExploreNews::Done { id, result } if id == x.id => {
                (x.runs, x.counted) = (result.runs, result.counted);
                x.result = Some(*result);
                x.selected = 0;
            }
            _ => {}
        }
    }
}
