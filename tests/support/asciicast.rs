//! Reading an asciicast v2 file back, strictly: shared by the cast tests.

use serde_json::Value;

/// What a cast holds: its header and its events (time, code, data).
pub struct Parsed {
    pub header: Value,
    pub events: Vec<(f64, String, String)>,
}

/// Parse `text` as asciicast v2, failing on anything the format does not allow.
pub fn parse_cast(text: &str) -> Parsed {
    let mut lines = text.lines();
    let header: Value = serde_json::from_str(lines.next().expect("a header line")).unwrap();
    assert_eq!(header["version"], 2, "{header}");
    for key in ["width", "height", "timestamp"] {
        assert!(
            header[key].as_u64().is_some_and(|v| v > 0),
            "{key}: {header}"
        );
    }
    assert!(header["title"].is_string(), "{header}");
    assert!(header["env"].is_object(), "{header}");
    let mut events = Vec::new();
    let mut last = 0.0;
    for line in lines {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        let a = v.as_array().unwrap_or_else(|| panic!("an array: {line}"));
        assert_eq!(a.len(), 3, "{line}");
        let t = a[0].as_f64().unwrap_or_else(|| panic!("a time: {line}"));
        assert!(t >= last, "times never go back: {t} after {last}");
        last = t;
        let code = a[1].as_str().unwrap().to_string();
        assert!(["o", "m", "r"].contains(&code.as_str()), "{line}");
        let data = a[2].as_str().unwrap_or_else(|| panic!("a string: {line}"));
        events.push((t, code, data.to_string()));
    }
    Parsed { header, events }
}
