//! kettle: Old Zhang boils water for tea. The kettle is a thread that boils for B. A plain
//! kettle then simply *is* boiled: `boiled` is a variable, and Zhang can only look at it. A
//! whistling kettle whistles: `whistle` is a flag Zhang can wait on. Meanwhile his wife calls
//! him now and then from the living room.

use crate::engine::{Flag, JoinHandle, Shared, now, say, secs, sleep, spawn, work};
use crate::params::Params;
use std::sync::Arc;
use std::time::Duration;

/// One look at the kettle, when staring is all Zhang does.
pub const GLANCE: f64 = 0.05;
/// One bit of TV. Between two, Zhang hears his wife.
pub const TICK: f64 = 0.1;
/// The wife calls this long after the last call, and waits this long for an answer.
pub const CALL_EVERY: f64 = 0.85;
pub const PATIENCE: f64 = 0.35;

/// 1. Plain kettle, Zhang blocks: he stands at the stove and looks, and looks again.
pub fn sync_blocking(p: &Params) -> Afternoon {
    let home = Home::new();
    let boiled = Arc::new(Shared::new("boiled", false));
    let zhang = spawn("Zhang", {
        let (home, boiled) = (home.clone(), boiled.clone());
        move || {
            let mut zhang = Zhang::default();
            say("staring at the kettle");
            while !boiled.get() {
                // Nobody will tell him, so he looks again; he does nothing else.
                work(secs(GLANCE));
            }
            home.pour(&mut zhang);
            zhang
        }
    });
    let kettle = plain_kettle(p.secs("boil"), boiled);
    home.wait_for_tea(p, zhang, kettle)
}

/// 2. Plain kettle, Zhang does not block: he watches TV and walks to the kitchen every P to
///    look (polling).
pub fn sync_nonblocking(p: &Params) -> Afternoon {
    let home = Home::new();
    let boiled = Arc::new(Shared::new("boiled", false));
    let ticks = ticks_per_poll(p);
    let zhang = spawn("Zhang", {
        let (home, boiled) = (home.clone(), boiled.clone());
        move || {
            let mut zhang = Zhang::default();
            loop {
                for _ in 0..ticks {
                    home.watch_tv(&mut zhang); // TV for P
                }
                zhang.trips += 1;
                say(format!("walking to the kitchen (trip {})", zhang.trips));
                if boiled.get() {
                    break;
                }
                say("not boiled yet: back to the TV");
            }
            home.pour(&mut zhang);
            zhang
        }
    });
    let kettle = plain_kettle(p.secs("boil"), boiled);
    home.wait_for_tea(p, zhang, kettle)
}

/// 3. Whistling kettle, Zhang blocks: it will tell him, but he waits for it at the stove.
pub fn async_blocking(p: &Params) -> Afternoon {
    let home = Home::new();
    let whistle = Arc::new(Flag::new("whistle"));
    let zhang = spawn("Zhang", {
        let (home, whistle) = (home.clone(), whistle.clone());
        move || {
            let mut zhang = Zhang::default();
            say("waiting at the stove for the whistle");
            whistle.wait(); // nothing else until it whistles
            home.pour(&mut zhang);
            zhang
        }
    });
    let kettle = whistling_kettle(p.secs("boil"), whistle);
    home.wait_for_tea(p, zhang, kettle)
}

/// 4. Whistling kettle, Zhang does not block: he watches TV, an ear on the kettle, and goes
///    only when it whistles.
pub fn async_nonblocking(p: &Params) -> Afternoon {
    let home = Home::new();
    let whistle = Arc::new(Flag::new("whistle"));
    let zhang = spawn("Zhang", {
        let (home, whistle) = (home.clone(), whistle.clone());
        move || {
            let mut zhang = Zhang::default();
            loop {
                zhang.ticks += 1;
                say(format!("watching TV (tick {})", zhang.ticks));
                let start = now();
                // A tick of TV or the whistle, whichever comes first.
                let whistled = whistle.wait_timeout(secs(TICK));
                zhang.tv += now() - start;
                if whistled {
                    break;
                }
                home.hear_wife();
            }
            zhang.trips += 1;
            say("it whistles: off to the kitchen");
            home.pour(&mut zhang);
            zhang
        }
    });
    let kettle = whistling_kettle(p.secs("boil"), whistle);
    home.wait_for_tea(p, zhang, kettle)
}

/// A plain kettle: when the water boils it says nothing; it just is boiled.
fn plain_kettle(boil: Duration, boiled: Arc<Shared<bool>>) -> JoinHandle<Duration> {
    spawn("kettle", move || {
        sleep(boil);
        let at = now();
        boiled.set(true);
        at
    })
}

/// A whistling kettle: when the water boils, whoever waits for the whistle hears it.
fn whistling_kettle(boil: Duration, whistle: Arc<Flag>) -> JoinHandle<Duration> {
    spawn("kettle", move || {
        sleep(boil);
        let at = now();
        say("wheeeee!");
        whistle.set();
        at
    })
}

/// What Zhang did while the water boiled.
#[derive(Default)]
pub struct Zhang {
    pub tv: Duration,
    ticks: u32,
    pub trips: u32,
    pub poured_at: Duration,
}

/// How the afternoon went: what Zhang did, when the water boiled, and the wife's calls.
pub struct Afternoon {
    pub zhang: Zhang,
    pub boiled_at: Duration,
    pub answered: u32,
    pub missed: u32,
}

/// The living room: the wife's call, and the tea she waits for.
struct Home {
    call: Flag,
    tea: Flag,
}

impl Home {
    fn new() -> Arc<Home> {
        Arc::new(Home {
            call: Flag::new("call"),
            tea: Flag::new("tea"),
        })
    }

    /// A tick of TV on the sofa, where Zhang hears his wife.
    fn watch_tv(&self, zhang: &mut Zhang) {
        zhang.ticks += 1;
        say(format!("watching TV (tick {})", zhang.ticks));
        let start = now();
        sleep(secs(TICK));
        zhang.tv += now() - start;
        self.hear_wife();
    }

    /// Only in the living room does Zhang hear his wife.
    fn hear_wife(&self) {
        if self.call.is_set() {
            self.call.clear();
            say("coming, dear!");
        }
    }

    fn pour(&self, zhang: &mut Zhang) {
        zhang.poured_at = now();
        say("pouring the tea");
        self.tea.set();
        self.hear_wife(); // back in the living room, tea in hand
    }

    /// She calls every so often until the tea is poured. A call still unanswered when her
    /// patience runs out is a missed call.
    fn wife(&self) -> (u32, u32) {
        let (mut answered, mut missed) = (0, 0);
        while !self.tea.wait_timeout(secs(CALL_EVERY)) {
            say("Lao Zhang! Come here a moment!");
            self.call.set();
            sleep(secs(PATIENCE));
            if self.call.is_set() {
                self.call.clear();
                say("...he didn't hear me");
                missed += 1;
            } else {
                answered += 1;
            }
        }
        (answered, missed)
    }

    /// Let the wife call (if calls are on), wait for everyone, and say how it went.
    fn wait_for_tea(
        self: Arc<Home>,
        p: &Params,
        zhang: JoinHandle<Zhang>,
        kettle: JoinHandle<Duration>,
    ) -> Afternoon {
        let wife = (p.int("calls") == 1).then(|| spawn("wife", move || self.wife()));
        let zhang = zhang.join().unwrap();
        let boiled_at = kettle.join().unwrap();
        let (answered, missed) = wife.map_or((0, 0), |w| w.join().unwrap());
        Afternoon {
            zhang,
            boiled_at,
            answered,
            missed,
        }
    }
}

/// P in whole ticks of TV (at least one).
pub fn ticks_per_poll(p: &Params) -> u32 {
    (p.get("poll") / TICK).round().max(1.0) as u32
}
