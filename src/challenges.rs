//! Challenges: goals a learner reaches by running a lesson ("make the final n wrong with only
//! 2 threads", "cause the deadlock in as few steps as possible"). A lesson file states each
//! goal as a small condition over what a run showed, so authors need no Rust:
//!
//! ```text
//! when = "outcome.n > 0 and steps <= 12"
//! when = "deadlock"
//! when = "put_waits.q >= 1 or not finished"
//! ```
//!
//! A condition compares names with numbers, strings or booleans (`== != < <= > >=`) and joins
//! the comparisons with `and`, `or`, `not` and parentheses. The names:
//!
//! | name | what it is |
//! |---|---|
//! | `outcome.KEY` | what the demo returned (known once the run finished) |
//! | `params.KEY` | a parameter of the run |
//! | `steps` | scheduling choices made (step and virtual modes; 0 in live runs) |
//! | `threads` | threads started, main included |
//! | `time` | lesson seconds on the run's clock |
//! | `deadlock` | a deadlock (or threads stuck forever) was found |
//! | `finished` | every thread finished |
//! | `value.R`, `lost.R` | shared variable R's value and its lost updates |
//! | `waits.R` | how many times a thread had to wait for resource R (a lock, a queue, ...) |
//! | `put_waits.R`, `get_waits.R` | waits of puts on a full queue R, of gets on an empty one |
//! | `peak.R` | the most items queue R held, or holders semaphore R had, at once |
//! | `taken.R` | how many times lock or semaphore R was acquired |
//!
//! Conditions are checked after every event of a run; a name that is not known yet (the
//! outcome, before the run ends) makes the condition wait, never fail for good.

use crate::content::Challenge;
use crate::engine::event::BlockedOn;
use crate::engine::trace::Trace;
use crate::engine::{Event, Mode, Outcome, ResourceKind, What};
use crate::params::Params;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

/// A parsed condition, with the text it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    source: String,
    expr: Expr,
}

#[derive(Clone, Debug, PartialEq)]
enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    /// A name standing alone: true when its value is the boolean true.
    Truth(Name),
    Compare(Operand, Cmp, Operand),
}

#[derive(Clone, Debug, PartialEq)]
enum Operand {
    Name(Name),
    Lit(Val),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A name, checked when parsed: a known word or `prefix.KEY`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub prefix: &'static str,
    /// Empty for words without a key (`steps`, `deadlock`).
    pub key: String,
}

/// A value a name has in a run, or a literal in a condition.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Num(f64),
    Bool(bool),
    Str(String),
}

/// Words that stand alone, and whether each is a boolean.
const WORDS: &[(&str, bool)] = &[
    ("steps", false),
    ("threads", false),
    ("time", false),
    ("deadlock", true),
    ("finished", true),
];

/// Prefixes of `prefix.KEY` names.
const PREFIXES: &[&str] = &[
    "outcome",
    "params",
    "value",
    "lost",
    "waits",
    "put_waits",
    "get_waits",
    "peak",
    "taken",
];

/// What went wrong in a condition, and where (a byte offset into its text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionError {
    pub at: usize,
    pub message: String,
}

impl fmt::Display for ConditionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at column {})", self.message, self.at + 1)
    }
}

impl Condition {
    /// Parse `text`. Every name must be a known word or `prefix.KEY`, and `params.KEY` one of
    /// `params` (the lesson's declared parameter keys).
    pub fn parse(text: &str, params: &[&str]) -> Result<Condition, ConditionError> {
        let tokens = lex(text)?;
        let mut p = Parser {
            tokens,
            pos: 0,
            end: text.len(),
            params,
            depth: 0,
        };
        let expr = p.or()?;
        if let Some(t) = p.tokens.get(p.pos) {
            return Err(ConditionError {
                at: t.at,
                message: format!("unexpected `{}`: join conditions with and / or", t.text),
            });
        }
        Ok(Condition {
            source: text.trim().to_string(),
            expr,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Every name the condition reads.
    pub fn names(&self) -> Vec<&Name> {
        let mut out = Vec::new();
        collect(&self.expr, &mut out);
        out
    }

    /// `Some(true)` when the condition holds, `Some(false)` when it does not, `None` while a
    /// name it reads is not known yet.
    pub fn eval(&self, look: &dyn Fn(&Name) -> Option<Val>) -> Option<bool> {
        eval(&self.expr, look)
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

fn collect<'a>(e: &'a Expr, out: &mut Vec<&'a Name>) {
    match e {
        Expr::Or(v) | Expr::And(v) => v.iter().for_each(|x| collect(x, out)),
        Expr::Not(x) => collect(x, out),
        Expr::Truth(n) => out.push(n),
        Expr::Compare(a, _, b) => {
            for o in [a, b] {
                if let Operand::Name(n) = o {
                    out.push(n);
                }
            }
        }
    }
}

fn eval(e: &Expr, look: &dyn Fn(&Name) -> Option<Val>) -> Option<bool> {
    match e {
        Expr::Or(v) => {
            let mut unknown = false;
            for x in v {
                match eval(x, look) {
                    Some(true) => return Some(true),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            if unknown { None } else { Some(false) }
        }
        Expr::And(v) => {
            let mut unknown = false;
            for x in v {
                match eval(x, look) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            if unknown { None } else { Some(true) }
        }
        Expr::Not(x) => eval(x, look).map(|b| !b),
        Expr::Truth(n) => look(n).map(|v| v == Val::Bool(true)),
        Expr::Compare(a, op, b) => {
            let value = |o: &Operand| match o {
                Operand::Name(n) => look(n),
                Operand::Lit(v) => Some(v.clone()),
            };
            let (a, b) = (value(a)?, value(b)?);
            Some(compare(&a, *op, &b))
        }
    }
}

fn compare(a: &Val, op: Cmp, b: &Val) -> bool {
    use std::cmp::Ordering;
    let ord = match (a, b) {
        (Val::Num(x), Val::Num(y)) => x.partial_cmp(y),
        (Val::Str(x), Val::Str(y)) => Some(x.cmp(y)),
        (Val::Bool(x), Val::Bool(y)) => Some(x.cmp(y)),
        // A string that holds a number compares as one (a variable's value is text).
        (Val::Str(x), Val::Num(y)) => x.trim().parse::<f64>().ok().and_then(|x| x.partial_cmp(y)),
        (Val::Num(x), Val::Str(y)) => y.trim().parse::<f64>().ok().and_then(|y| x.partial_cmp(&y)),
        _ => None,
    };
    let Some(ord) = ord else {
        return op == Cmp::Ne;
    };
    match op {
        Cmp::Eq => ord == Ordering::Equal,
        Cmp::Ne => ord != Ordering::Equal,
        Cmp::Lt => ord == Ordering::Less,
        Cmp::Le => ord != Ordering::Greater,
        Cmp::Gt => ord == Ordering::Greater,
        Cmp::Ge => ord != Ordering::Less,
    }
}

// ---- reading a condition ----

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word(String),
    Num(f64),
    Str(String),
    Op(Cmp),
    Open,
    Close,
}

struct Token {
    tok: Tok,
    at: usize,
    text: String,
}

fn lex(text: &str) -> Result<Vec<Token>, ConditionError> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let err = |at: usize, message: String| ConditionError { at, message };
    while i < bytes.len() {
        let c = text[i..].chars().next().expect("i is on a char boundary");
        let start = i;
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let tok = match c {
            '(' => {
                i += 1;
                Tok::Open
            }
            ')' => {
                i += 1;
                Tok::Close
            }
            '=' | '!' | '<' | '>' => {
                let two = text.get(i..i + 2).unwrap_or("");
                let (op, len) = match (c, two) {
                    (_, "==") => (Cmp::Eq, 2),
                    (_, "!=") => (Cmp::Ne, 2),
                    (_, "<=") => (Cmp::Le, 2),
                    (_, ">=") => (Cmp::Ge, 2),
                    ('<', _) => (Cmp::Lt, 1),
                    ('>', _) => (Cmp::Gt, 1),
                    ('=', _) => return Err(err(i, "`=` is not a comparison: write `==`".into())),
                    _ => {
                        return Err(err(
                            i,
                            "`!` alone is not allowed: write `not` or `!=`".into(),
                        ));
                    }
                };
                i += len;
                Tok::Op(op)
            }
            '"' => {
                let rest = &text[i + 1..];
                let Some(end) = rest.find('"') else {
                    return Err(err(i, "a string is not closed: add `\"`".into()));
                };
                i += end + 2;
                Tok::Str(rest[..end].to_string())
            }
            c if c.is_ascii_digit() || c == '-' || c == '.' => {
                let mut j = i + 1;
                while j < bytes.len()
                    && (bytes[j].is_ascii_digit() || bytes[j] == b'.' || bytes[j] == b'_')
                {
                    j += 1;
                }
                let raw = text[i..j].replace('_', "");
                let Ok(n) = raw.parse::<f64>() else {
                    return Err(err(i, format!("`{}` is not a number", &text[i..j])));
                };
                i = j;
                Tok::Num(n)
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut j = i;
                while j < bytes.len()
                    && (bytes[j].is_ascii_alphanumeric() || matches!(bytes[j], b'_' | b'.' | b'-'))
                {
                    j += 1;
                }
                i = j;
                Tok::Word(text[start..j].to_string())
            }
            other => return Err(err(i, format!("unexpected `{other}`"))),
        };
        out.push(Token {
            tok,
            at: start,
            text: text[start..i].to_string(),
        });
    }
    Ok(out)
}

/// How deep parentheses and `not`s may nest in a condition: far more than a reader can
/// follow, far less than would overflow the parser's stack.
pub const MAX_NESTING: usize = 32;

struct Parser<'a> {
    tokens: Vec<Token>,
    pos: usize,
    end: usize,
    params: &'a [&'a str],
    /// Parentheses and `not`s open around the token being read.
    depth: usize,
}

impl Parser<'_> {
    fn peek_word(&self, w: &str) -> bool {
        matches!(self.tokens.get(self.pos), Some(Token { tok: Tok::Word(x), .. }) if x == w)
    }

    fn here(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.end, |t| t.at)
    }

    /// One level deeper (a `(` or a `not` at the current token), or the nesting error.
    fn enter(&mut self) -> Result<(), ConditionError> {
        if self.depth >= MAX_NESTING {
            return Err(ConditionError {
                at: self.here(),
                message: format!(
                    "the condition nests too deeply (more than {MAX_NESTING} parentheses and \
                     `not`s inside each other)"
                ),
            });
        }
        self.depth += 1;
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, ConditionError> {
        let mut parts = vec![self.and()?];
        while self.peek_word("or") {
            self.pos += 1;
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Expr, ConditionError> {
        let mut parts = vec![self.not()?];
        while self.peek_word("and") {
            self.pos += 1;
            parts.push(self.not()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Expr::And(parts)
        })
    }

    fn not(&mut self) -> Result<Expr, ConditionError> {
        if self.peek_word("not") {
            self.enter()?;
            self.pos += 1;
            let inner = self.not()?;
            self.depth -= 1;
            return Ok(Expr::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ConditionError> {
        let at = self.here();
        if matches!(
            self.tokens.get(self.pos),
            Some(Token { tok: Tok::Open, .. })
        ) {
            self.enter()?;
            self.pos += 1;
            let e = self.or()?;
            self.depth -= 1;
            if !matches!(
                self.tokens.get(self.pos),
                Some(Token {
                    tok: Tok::Close,
                    ..
                })
            ) {
                return Err(ConditionError {
                    at: self.here(),
                    message: "a `(` is not closed: add `)`".into(),
                });
            }
            self.pos += 1;
            return Ok(e);
        }
        let left = self.operand()?;
        let op = match self.tokens.get(self.pos) {
            Some(Token {
                tok: Tok::Op(op), ..
            }) => *op,
            _ => {
                return match left {
                    Operand::Name(n) if is_boolean(&n) => Ok(Expr::Truth(n)),
                    Operand::Name(n) => Err(ConditionError {
                        at,
                        message: format!(
                            "`{}` is a value, not a condition: compare it, e.g. `{} > 0`",
                            n, n
                        ),
                    }),
                    Operand::Lit(_) => Err(ConditionError {
                        at,
                        message: "a value alone is not a condition".into(),
                    }),
                };
            }
        };
        self.pos += 1;
        let right = self.operand()?;
        let (lit_a, lit_b) = (lit(&left), lit(&right));
        if lit_a.is_some() && lit_b.is_some() {
            return Err(ConditionError {
                at,
                message: "compare a name with a value, not two values".into(),
            });
        }
        for l in [lit_a, lit_b].into_iter().flatten() {
            let ordering = !matches!(op, Cmp::Eq | Cmp::Ne);
            if ordering && !matches!(l, Val::Num(_)) {
                return Err(ConditionError {
                    at,
                    message: "only numbers can be compared with < <= > >=".into(),
                });
            }
        }
        Ok(Expr::Compare(left, op, right))
    }

    fn operand(&mut self) -> Result<Operand, ConditionError> {
        let Some(t) = self.tokens.get(self.pos) else {
            return Err(ConditionError {
                at: self.end,
                message: "the condition ends too soon: a name or value is missing".into(),
            });
        };
        let at = t.at;
        let out = match &t.tok {
            Tok::Num(n) => Operand::Lit(Val::Num(*n)),
            Tok::Str(s) => Operand::Lit(Val::Str(s.clone())),
            Tok::Word(w) if w == "true" => Operand::Lit(Val::Bool(true)),
            Tok::Word(w) if w == "false" => Operand::Lit(Val::Bool(false)),
            Tok::Word(w) if matches!(w.as_str(), "and" | "or" | "not") => {
                return Err(ConditionError {
                    at,
                    message: format!("`{w}` needs a condition before and after it"),
                });
            }
            Tok::Word(w) => Operand::Name(self.name(w, at)?),
            _ => {
                return Err(ConditionError {
                    at,
                    message: format!("expected a name or a value, found `{}`", t.text),
                });
            }
        };
        self.pos += 1;
        Ok(out)
    }

    fn name(&self, w: &str, at: usize) -> Result<Name, ConditionError> {
        if let Some((word, _)) = WORDS.iter().find(|(x, _)| *x == w) {
            return Ok(Name {
                prefix: word,
                key: String::new(),
            });
        }
        let unknown = || ConditionError {
            at,
            message: format!(
                "unknown name `{w}` (known: {}, and {})",
                WORDS.iter().map(|(x, _)| *x).collect::<Vec<_>>().join(", "),
                PREFIXES
                    .iter()
                    .map(|p| format!("{p}.KEY"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let Some((prefix, key)) = w.split_once('.') else {
            return Err(unknown());
        };
        let Some(prefix) = PREFIXES.iter().find(|p| **p == prefix) else {
            return Err(unknown());
        };
        if key.is_empty() {
            return Err(ConditionError {
                at,
                message: format!("`{w}` needs a key after the dot, e.g. `{prefix}.n`"),
            });
        }
        if *prefix == "params" && !self.params.contains(&key) {
            return Err(ConditionError {
                at,
                message: format!(
                    "unknown parameter `{key}` (declared: {})",
                    if self.params.is_empty() {
                        "none".to_string()
                    } else {
                        self.params.join(", ")
                    }
                ),
            });
        }
        Ok(Name {
            prefix,
            key: key.to_string(),
        })
    }
}

fn lit(o: &Operand) -> Option<&Val> {
    match o {
        Operand::Lit(v) => Some(v),
        Operand::Name(_) => None,
    }
}

fn is_boolean(n: &Name) -> bool {
    n.prefix == "outcome" || WORDS.iter().any(|(w, b)| *b && *w == n.prefix)
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            f.write_str(self.prefix)
        } else {
            write!(f, "{}.{}", self.prefix, self.key)
        }
    }
}

// ---- what a run showed ----

/// What a run has shown so far, beyond its trace: counts folded from its events, and its
/// setup and outcome, for conditions to read.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    pub variant: String,
    pub mode: Mode,
    pub scale: f64,
    pub params: Params,
    /// Scheduling choices so far.
    pub steps: usize,
    /// The demo's outcome, once it finished.
    pub outcome: Option<Outcome>,
    waits: BTreeMap<String, u64>,
    put_waits: BTreeMap<String, u64>,
    get_waits: BTreeMap<String, u64>,
}

impl Facts {
    pub fn new(variant: &str, mode: Mode, scale: f64, params: Params) -> Facts {
        Facts {
            variant: variant.to_string(),
            mode,
            scale,
            params,
            steps: 0,
            outcome: None,
            waits: BTreeMap::new(),
            put_waits: BTreeMap::new(),
            get_waits: BTreeMap::new(),
        }
    }

    /// Count `e`, already folded into `trace`.
    pub fn apply(&mut self, e: &Event, trace: &Trace) {
        let What::Blocked {
            on: BlockedOn::Resource(rid),
        } = &e.what
        else {
            return;
        };
        let Some(r) = trace.resources.get(rid.0 as usize) else {
            return;
        };
        *self.waits.entry(r.name.clone()).or_default() += 1;
        if let ResourceKind::Queue { capacity, .. } = r.kind {
            // A bounded queue that is full makes puts wait; otherwise it was a get on empty.
            let full = capacity > 0 && r.items.len() >= capacity as usize;
            let map = if full {
                &mut self.put_waits
            } else {
                &mut self.get_waits
            };
            *map.entry(r.name.clone()).or_default() += 1;
        }
    }

    /// The value of `name` in this run, if known yet.
    pub fn get(&self, name: &Name, trace: &Trace) -> Option<Val> {
        let res = || trace.resources.iter().find(|r| r.name == name.key);
        let count = |m: &BTreeMap<String, u64>| Val::Num(*m.get(&name.key).unwrap_or(&0) as f64);
        Some(match name.prefix {
            "steps" => Val::Num(self.steps as f64),
            "threads" => Val::Num(trace.threads.len() as f64),
            "time" => Val::Num(trace.now_ns as f64 / 1e9 / self.scale.max(1e-12)),
            "deadlock" => Val::Bool(trace.deadlock.is_some()),
            "finished" => Val::Bool(trace.finished && trace.deadlock.is_none()),
            "outcome" => {
                let v = self.outcome.as_ref()?.get(&name.key)?;
                json_val(v)
            }
            "params" => Val::Num(self.params.iter().find(|(k, _)| *k == name.key)?.1),
            "value" => Val::Str(res()?.value.clone()?),
            "lost" => Val::Num(res()?.lost_updates as f64),
            "waits" => count(&self.waits),
            "put_waits" => count(&self.put_waits),
            "get_waits" => count(&self.get_waits),
            "peak" => Val::Num(res()?.peak as f64),
            "taken" => Val::Num(res()?.acquisitions as f64),
            _ => return None,
        })
    }
}

fn json_val(v: &serde_json::Value) -> Val {
    match v {
        serde_json::Value::Bool(b) => Val::Bool(*b),
        serde_json::Value::Number(n) => Val::Num(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Val::Str(s.clone()),
        other => Val::Str(other.to_string()),
    }
}

/// Whether `c` is met by the run `facts` and `trace` describe: the right variant, mode and
/// parameters, at most `max_steps` choices, and its condition true.
pub fn met(c: &Challenge, facts: &Facts, trace: &Trace) -> bool {
    if c.variant.as_ref().is_some_and(|v| *v != facts.variant) {
        return false;
    }
    if c.mode.is_some_and(|m| m != facts.mode) {
        return false;
    }
    for (k, v) in &c.params {
        if facts
            .params
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, x)| x)
            != Some(*v)
        {
            return false;
        }
    }
    if c.max_steps.is_some_and(|m| facts.steps > m as usize) {
        return false;
    }
    c.when.eval(&|n| facts.get(n, trace)) == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Condition, ConditionError> {
        Condition::parse(s, &["threads", "critical"])
    }

    fn eval_with(s: &str, vals: &[(&str, Val)]) -> Option<bool> {
        let c = parse(s).unwrap();
        c.eval(&|n| {
            vals.iter()
                .find(|(k, _)| *k == n.to_string())
                .map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn comparisons_and_connectives() {
        let n = |x: f64| Val::Num(x);
        assert_eq!(
            eval_with("outcome.n > 0", &[("outcome.n", n(1.0))]),
            Some(true)
        );
        assert_eq!(
            eval_with("outcome.n > 0", &[("outcome.n", n(0.0))]),
            Some(false)
        );
        assert_eq!(eval_with("outcome.n > 0", &[]), None, "not known yet");
        let both = "deadlock and steps <= 12";
        let d = ("deadlock", Val::Bool(true));
        assert_eq!(
            eval_with(both, &[d.clone(), ("steps", n(12.0))]),
            Some(true)
        );
        assert_eq!(
            eval_with(both, &[d.clone(), ("steps", n(13.0))]),
            Some(false)
        );
        assert_eq!(
            eval_with("not deadlock", std::slice::from_ref(&d)),
            Some(false)
        );
        let either = "(steps < 3 or deadlock) and not finished";
        let f = ("finished", Val::Bool(false));
        assert_eq!(eval_with(either, &[d, ("steps", n(9.0)), f]), Some(true));
        // `or` knows the answer as soon as one side is true, even if the other is unknown.
        assert_eq!(
            eval_with("steps > 1 or outcome.n == 1", &[("steps", n(2.0))]),
            Some(true)
        );
        assert_eq!(
            eval_with("value.n == \"99\"", &[("value.n", Val::Str("99".into()))]),
            Some(true)
        );
        assert_eq!(
            eval_with("value.n < 100", &[("value.n", Val::Str("99".into()))]),
            Some(true)
        );
        assert_eq!(
            eval_with("params.threads == 2", &[("params.threads", n(2.0))]),
            Some(true)
        );
    }

    #[test]
    fn mistakes_are_named_with_their_column() {
        let err = |s: &str| parse(s).unwrap_err().to_string();
        assert!(
            err("n > 0").contains("unknown name `n`"),
            "{}",
            err("n > 0")
        );
        assert!(err("outcome.n = 0").contains("write `==`"));
        assert!(err("outcome.n >").contains("ends too soon"));
        assert!(err("steps").contains("is a value, not a condition"));
        assert!(err("params.thread == 2").contains("unknown parameter `thread`"));
        assert!(err("deadlock deadlock").contains("unexpected `deadlock`"));
        assert!(err("(deadlock").contains("not closed"));
        assert!(err("1 == 1").contains("not two values"));
        assert!(err("outcome.s < \"a\"").contains("only numbers"));
        assert!(err("deadlock and").contains("ends too soon"));
        assert!(err("waits. > 1").contains("needs a key"));
        assert_eq!(parse("steps >= x").unwrap_err().at, 9);
    }
}
