//! Printing answers: JSON by default, a readable table with `--table`.

use serde_json::Value;

/// Renders `value` as a table: the largest list of objects becomes rows (one column per
/// scalar field), other scalar fields become a key/value list above it.
pub fn table(value: &Value) -> String {
    let mut out = String::new();
    let Value::Object(map) = value else {
        return scalar(value);
    };
    let list = map
        .iter()
        .filter_map(|(k, v)| v.as_array().map(|a| (k, a)))
        .filter(|(_, a)| a.iter().all(Value::is_object) && !a.is_empty())
        .max_by_key(|(_, a)| a.len());
    let pairs: Vec<(String, String)> =
        map.iter().filter(|(_, v)| !v.is_array() && !v.is_object()).map(|(k, v)| (k.clone(), scalar(v))).collect();
    if !pairs.is_empty() {
        out.push_str(&grid(
            &["field".into(), "value".into()],
            &pairs.into_iter().map(|(k, v)| vec![k, v]).collect::<Vec<_>>(),
        ));
    }
    if let Some((name, rows)) = list {
        let mut columns: Vec<String> = Vec::new();
        for row in rows.iter().filter_map(Value::as_object) {
            for (k, v) in row {
                if !v.is_array() && !v.is_object() && !columns.contains(k) {
                    columns.push(k.clone());
                }
            }
        }
        let cells: Vec<Vec<String>> = rows
            .iter()
            .filter_map(Value::as_object)
            .map(|r| columns.iter().map(|c| r.get(c).map(scalar).unwrap_or_default()).collect())
            .collect();
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("{name} ({} rows)\n", rows.len()));
        out.push_str(&grid(&columns, &cells));
    }
    if out.is_empty() {
        out = serde_json::to_string_pretty(value).unwrap_or_default();
        out.push('\n');
    }
    out
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn grid(header: &[String], rows: &[Vec<String>]) -> String {
    let clip = |s: &str| -> String {
        let s = s.replace('\n', " ");
        if s.chars().count() > 40 { format!("{}…", s.chars().take(39).collect::<String>()) } else { s }
    };
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(clip(c).chars().count());
        }
    }
    let line = |cells: Vec<String>| -> String {
        let mut l: String =
            cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}", w = *w)).collect::<Vec<_>>().join("  ");
        l.truncate(l.trim_end().len());
        l.push('\n');
        l
    };
    let mut out = line(header.iter().map(|h| clip(h)).collect());
    out.push_str(&line(widths.iter().map(|w| "-".repeat(*w)).collect()));
    for r in rows {
        out.push_str(&line(r.iter().map(|c| clip(c)).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_lists_as_rows() {
        let t = table(&json!({"count": 2, "data": [{"id": "R1", "name": "a"}, {"id": "R2", "flowValue": 5}]}));
        assert!(t.contains("count"), "{t}");
        assert!(t.contains("data (2 rows)"), "{t}");
        assert!(t.contains("R2"), "{t}");
        assert!(t.lines().any(|l| l.starts_with("id")), "{t}");
    }
}
