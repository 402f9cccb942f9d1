//! The queues lesson: FIFO, LIFO and priority order, and a bounded queue that makes puts and
//! gets wait. Every run must give exactly the orders of the tutorial.

mod demo;
mod panel;
mod words;

use super::{Check, Fact, Lesson, Variant};
use crate::engine::RunReport;
use crate::params::Params;
use crate::variant;
use crate::words::Lang;
use demo::Bounded;
use serde::{Deserialize, Serialize};
use words::Words;

pub struct Queues;

/// What a queue demo returned: the items in the order they came out, and for the bounded
/// queue what made its puts and gets wait.
pub enum CameOut {
    Order(Vec<String>),
    Bounded(Bounded),
}

impl From<Vec<String>> for CameOut {
    fn from(order: Vec<String>) -> CameOut {
        CameOut::Order(order)
    }
}

impl From<Bounded> for CameOut {
    fn from(b: Bounded) -> CameOut {
        CameOut::Bounded(b)
    }
}

/// The order the items came out in, and for the bounded queue how full it got, what the
/// non-blocking calls said and how many puts and gets had to wait.
#[derive(Serialize, Deserialize)]
pub struct Order {
    order: Vec<String>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    bounded: Option<Waits>,
}

#[derive(Serialize, Deserialize)]
pub struct Waits {
    full_after: u64,
    put_nowait_error: String,
    get_nowait_error: String,
    blocked_puts: usize,
    blocked_gets: usize,
}

impl Lesson for Queues {
    type Returns = CameOut;
    type Outcome = Order;
    const WORDS: &'static [crate::words::Entry] = Words::ENTRIES;

    /// One pause after every put and every get (and after starting each waiting thread).
    const VARIANTS: &'static [Variant<Self>] = &[
        variant!("fifo", demo::fifo)
            .ideal(|p| 6.0 * p.get("pause"))
            .checks(|_, out, _| order_check(out, &["first", "second", "third"], |w| w.fifo_rule())),
        variant!("lifo", demo::lifo)
            .ideal(|p| 6.0 * p.get("pause"))
            .checks(|_, out, _| order_check(out, &["third", "second", "first"], |w| w.lifo_rule())),
        variant!("priority", demo::priority)
            .ideal(|p| 6.0 * p.get("pause"))
            .checks(|_, out, _| {
                order_check(out, &["(10, b)", "(20, a)", "(30, c)"], |w| {
                    w.priority_rule()
                })
            }),
        // maxsize puts; 2 putters; maxsize + 2 gets; 2 getters; 2 puts.
        variant!("bounded", demo::bounded)
            .ideal(|p| (2.0 * p.get("maxsize") + 8.0) * p.get("pause"))
            .checks(bounded_checks),
    ];

    fn outcome(&self, returned: Option<CameOut>, _run: &RunReport) -> Option<Order> {
        Some(match returned? {
            CameOut::Order(order) => Order {
                order,
                bounded: None,
            },
            CameOut::Bounded(b) => Order {
                order: b.order,
                bounded: Some(Waits {
                    full_after: b.full_after,
                    put_nowait_error: b.put_nowait,
                    get_nowait_error: b.get_nowait,
                    blocked_puts: b.waited_puts,
                    blocked_gets: b.waited_gets,
                }),
            },
        })
    }

    fn facts(&self, o: &Order, lang: Lang) -> Vec<Fact> {
        let w = Words(lang);
        let mut facts = vec![Fact::plain(w.came_out(o.order.join(" ")))];
        if let Some(b) = &o.bounded {
            facts.push(Fact::plain(w.full_after(b.full_after)));
        }
        facts
    }

    fn panel(&self) -> Option<&'static dyn crate::tui::panel::Panel> {
        Some(&panel::Slots)
    }
}

/// The items came out exactly in the order `want`, by the rule `rule` names.
fn order_check(out: Option<&Order>, want: &[&str], rule: fn(Words) -> &'static str) -> Vec<Check> {
    let got = out.map_or_else(Vec::new, |o| o.order.clone());
    vec![Check::new(got == want, |w: Words| {
        (rule(w), w.order_detail(got.join(" "), want.join(" ")))
    })]
}

/// The bounded queue: in order, full after maxsize puts, the non-blocking calls refused, and
/// the waiting puts and gets served in the order they came.
fn bounded_checks(p: &Params, out: Option<&Order>, _run: &RunReport) -> Vec<Check> {
    let maxsize = p.int("maxsize");
    let want: Vec<String> = (1..=maxsize + 4).map(|n| n.to_string()).collect();
    let want: Vec<&str> = want.iter().map(String::as_str).collect();
    let mut checks = order_check(out, &want, |w| w.bounded_rule());
    let Some(o) = out else {
        return checks;
    };
    let b = o.bounded.as_ref();
    let full_after = b.map_or(u64::MAX, |b| b.full_after);
    let text = |f: fn(&Waits) -> &String| b.map_or("?".to_string(), |b| f(b).clone());
    let (put_err, get_err) = (text(|b| &b.put_nowait_error), text(|b| &b.get_nowait_error));
    let (puts, gets) = (
        b.map_or(usize::MAX, |b| b.blocked_puts),
        b.map_or(usize::MAX, |b| b.blocked_gets),
    );
    checks.push(Check::new(full_after == maxsize, |w: Words| {
        (w.full(), w.full_detail(full_after, maxsize))
    }));
    checks.push(Check::new(put_err == "full", |w: Words| {
        (w.put_nowait(), w.put_nowait_detail(put_err.clone()))
    }));
    checks.push(Check::new(get_err == "empty", |w: Words| {
        (w.get_nowait(), w.get_nowait_detail(get_err.clone()))
    }));
    checks.push(Check::new(puts == 2, |w: Words| {
        (w.put_waits(), w.put_waits_detail(puts))
    }));
    checks.push(Check::new(gets == 2, |w: Words| {
        (w.get_waits(), w.get_waits_detail(gets))
    }));
    // The waiting puts carried maxsize+1 and maxsize+2, in that order; the waiting gets must
    // receive maxsize+3 and maxsize+4 in the order they started waiting.
    let m = maxsize as usize;
    let waited = |from: usize| o.order.get(from..from + 2).map(|s| s.join(" "));
    let (puts_want, gets_want) = (
        format!("{} {}", m + 1, m + 2),
        format!("{} {}", m + 3, m + 4),
    );
    let (put_order, get_order) = (waited(m), waited(m + 2));
    checks.push(Check::new(
        put_order.as_deref() == Some(puts_want.as_str()),
        |w: Words| {
            (
                w.puts_in_order(),
                w.after_first(m, put_order.clone().unwrap_or_default()),
            )
        },
    ));
    checks.push(Check::new(
        get_order.as_deref() == Some(gets_want.as_str()),
        |w: Words| {
            (
                w.gets_in_order(),
                w.getters_got(get_order.clone().unwrap_or_default()),
            )
        },
    ));
    checks
}
