//! Run parameters: the value of every parameter a lesson declares, from its defaults and the
//! command line's `--param KEY=VALUE`, always within the declared ranges.

use std::fmt;
use std::time::Duration;

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::content::ParamSpec;

/// The resolved value of every parameter of one lesson, in the lesson's declared order.
/// Serialises as a map `key → value` (whole-number parameters as integers).
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    lesson: String,
    values: Vec<Value>,
}

#[derive(Clone, Debug, PartialEq)]
struct Value {
    key: String,
    value: f64,
    min: f64,
    max: f64,
    integer: bool,
}

impl Params {
    /// Every parameter at its default.
    pub fn defaults(lesson: &str, specs: &[ParamSpec]) -> Params {
        Params {
            lesson: lesson.to_string(),
            values: specs
                .iter()
                .map(|s| Value {
                    key: s.key.clone(),
                    value: s.default,
                    min: s.min,
                    max: s.max,
                    integer: s.integer,
                })
                .collect(),
        }
    }

    /// The defaults with `overrides` (from `--param K=V`, see [`parse_override`]) applied in
    /// order; a later override of the same key wins.
    pub fn resolve(
        lesson: &str,
        specs: &[ParamSpec],
        overrides: &[(String, String)],
    ) -> Result<Params, String> {
        let mut params = Params::defaults(lesson, specs);
        for (key, text) in overrides {
            params.set_str(key, text)?;
        }
        params.check_pairs()?;
        Ok(params)
    }

    /// Pairs the lesson declares by name, `X-min` and `X-max` (e.g. make-min, make-max):
    /// the least must not be above the most.
    pub fn check_pairs(&self) -> Result<(), String> {
        for lo in &self.values {
            let Some(stem) = lo.key.strip_suffix("-min") else {
                continue;
            };
            let hi_key = format!("{stem}-max");
            if let Some(hi) = self.find(&hi_key)
                && lo.value > hi.value
            {
                return Err(format!(
                    "parameter {} = {} is above {hi_key} = {}: the least must not be above the \
                     most",
                    lo.key, lo.value, hi.value
                ));
            }
        }
        Ok(())
    }

    /// The id of the lesson these parameters belong to.
    pub fn lesson(&self) -> &str {
        &self.lesson
    }

    /// The value of `key`. Panics if the lesson declares no such parameter: the demo code and
    /// its lesson file disagree, which is a programming error.
    pub fn get(&self, key: &str) -> f64 {
        match self.find(key) {
            Some(v) => v.value,
            None => panic!(
                "no parameter `{key}` in {} (known: {})",
                self.lesson,
                self.known()
            ),
        }
    }

    /// The value of `key` as a count, e.g. a number of threads.
    pub fn int(&self, key: &str) -> u64 {
        // Ranges are checked, so this only rounds; `as` saturates at 0 and u64::MAX.
        self.get(key).round() as u64
    }

    /// The value of `key` as a duration in seconds (before any time scale is applied).
    pub fn secs(&self, key: &str) -> Duration {
        let v = self.get(key);
        if v > 0.0 {
            Duration::try_from_secs_f64(v).unwrap_or(Duration::MAX)
        } else {
            Duration::ZERO
        }
    }

    /// Sets `key` to `value` if the lesson declares it and the value is in its range.
    pub fn set(&mut self, key: &str, value: f64) -> Result<(), String> {
        let known = self.known();
        let lesson = self.lesson.clone();
        let Some(slot) = self.values.iter_mut().find(|v| v.key == key) else {
            return Err(unknown(key, &lesson, &known));
        };
        if !value.is_finite() {
            return Err(format!("parameter {key}: {value} is not a number"));
        }
        if slot.integer && value.fract() != 0.0 {
            return Err(format!("parameter {key} must be a whole number"));
        }
        if value < slot.min || value > slot.max {
            return Err(format!(
                "parameter {key} = {value} is out of range {}..{}",
                slot.min, slot.max
            ));
        }
        // -0.0 would print as "-0".
        slot.value = if value == 0.0 { 0.0 } else { value };
        Ok(())
    }

    /// Sets `key` from text as typed on the command line, e.g. `"0.5"`.
    pub fn set_str(&mut self, key: &str, text: &str) -> Result<(), String> {
        if self.find(key).is_none() {
            return Err(unknown(key, &self.lesson, &self.known()));
        }
        match text.trim().parse::<f64>() {
            Ok(value) if value.is_finite() => self.set(key, value),
            _ => Err(format!(
                "parameter {key}: \"{}\" is not a number",
                crate::shown::shown(text)
            )),
        }
    }

    /// Every parameter and its value, in the lesson's declared order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> + '_ {
        self.values.iter().map(|v| (v.key.as_str(), v.value))
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn find(&self, key: &str) -> Option<&Value> {
        self.values.iter().find(|v| v.key == key)
    }

    fn known(&self) -> String {
        let keys: Vec<&str> = self.values.iter().map(|v| v.key.as_str()).collect();
        if keys.is_empty() {
            "none".to_string()
        } else {
            keys.join(", ")
        }
    }
}

fn unknown(key: &str, lesson: &str, known: &str) -> String {
    let key = crate::shown::shown(key);
    format!("unknown parameter `{key}` for {lesson} (known: {known})")
}

/// `threads=100 work=3 critical=0.5`: the form `--param` takes, so a run can be repeated.
impl fmt::Display for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (key, value)) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{key}={value}")?;
        }
        Ok(())
    }
}

impl Serialize for Params {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.values.len()))?;
        for v in &self.values {
            if v.integer && v.value.abs() < 9e15 {
                map.serialize_entry(&v.key, &(v.value as i64))?;
            } else {
                map.serialize_entry(&v.key, &v.value)?;
            }
        }
        map.end()
    }
}

/// Splits a command-line `--param` argument `KEY=VALUE` into its key and value.
pub fn parse_override(s: &str) -> Result<(String, String), String> {
    let Some((key, value)) = s.split_once('=') else {
        let s = crate::shown::shown(s);
        return Err(format!(
            "--param `{s}` is not KEY=VALUE (e.g. --param threads=10)"
        ));
    };
    let (key, value) = (key.trim(), value.trim());
    if key.is_empty() {
        let s = crate::shown::shown(s);
        return Err(format!("--param `{s}` has no parameter name before `=`"));
    }
    if value.is_empty() {
        let s = crate::shown::shown(s);
        return Err(format!("--param `{s}` has no value after `=`"));
    }
    Ok((key.to_string(), value.to_string()))
}
