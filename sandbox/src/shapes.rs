//! Rewrites of a successful answer's payload for the response-shape variants
//! ([`ShapeVariant`]).

use crate::faults::{Plan, ShapeVariant};
use crate::ops::idx;
use serde_json::{Map, Value};

/// Applies the variants of `plan` that concern operation `op` to `payload`.
pub fn apply(op: usize, plan: &Plan, payload: &mut Map<String, Value>) {
    if op == idx::QUERY_QUOTA && plan.has(ShapeVariant::QuotaTopLevel) {
        let first = match payload.remove("quotaList") {
            Some(Value::Array(mut list)) if !list.is_empty() => Some(list.swap_remove(0)),
            _ => None,
        };
        match first {
            Some(Value::Object(q)) => payload.extend(q),
            _ => {
                payload.insert("historyQuota".into(), Value::Array(Vec::new()));
            }
        }
    }
    if op == idx::QUERY_ESIM_CARD_INFO && plan.has(ShapeVariant::EsimCardInfo) {
        if let Some(d) = payload.remove("data") {
            payload.insert("cardInfo".into(), d);
        }
    }
    if op == idx::QUERY_COUNTRY_GROUPS && plan.has(ShapeVariant::CardPoolMccDtos) {
        if let Some(mut d) = payload.remove("data") {
            for c in d.as_array_mut().into_iter().flatten() {
                for t in c.get_mut("consumption").and_then(Value::as_array_mut).into_iter().flatten() {
                    if let Some(o) = t.as_object_mut() {
                        if let Some(v) = o.remove("is_only_supported_hotspots") {
                            o.insert("isOnlySupportedHotspots".into(), v);
                        }
                    }
                }
            }
            payload.insert("cardPoolMccDTOS".into(), d);
        }
    }
    if plan.has(ShapeVariant::NumbersAsStrings) {
        for v in payload.values_mut() {
            numbers_to_strings(v);
        }
    }
    if plan.has(ShapeVariant::LoneObject) {
        for v in payload.values_mut() {
            lone_objects(v);
        }
    }
}

fn numbers_to_strings(v: &mut Value) {
    match v {
        Value::Number(n) => *v = Value::String(n.to_string()),
        Value::Array(a) => a.iter_mut().for_each(numbers_to_strings),
        Value::Object(o) => o.values_mut().for_each(numbers_to_strings),
        _ => {}
    }
}

fn lone_objects(v: &mut Value) {
    match v {
        Value::Array(a) => {
            a.iter_mut().for_each(lone_objects);
            if a.len() == 1 && a[0].is_object() {
                let only = a.swap_remove(0);
                *v = only;
            }
        }
        Value::Object(o) => o.values_mut().for_each(lone_objects),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plan(v: &[ShapeVariant]) -> Plan {
        Plan { shapes: v.to_vec(), ..Plan::default() }
    }

    #[test]
    fn quota_top_level() {
        let mut p = json!({"quotaList": [{"subscriberQuota": {"qtavalue": "1.00"}, "historyQuota": []}]});
        apply(idx::QUERY_QUOTA, &plan(&[ShapeVariant::QuotaTopLevel]), p.as_object_mut().unwrap());
        assert_eq!(p, json!({"subscriberQuota": {"qtavalue": "1.00"}, "historyQuota": []}));
    }

    #[test]
    fn numbers_and_lone_objects() {
        let mut p = json!({"data": [{"a": 1, "b": [{"c": 2.5}], "d": [1]}], "count": 1});
        apply(1, &plan(&[ShapeVariant::NumbersAsStrings, ShapeVariant::LoneObject]), p.as_object_mut().unwrap());
        assert_eq!(p, json!({"data": {"a": "1", "b": {"c": "2.5"}, "d": ["1"]}, "count": "1"}));
    }

    #[test]
    fn card_pool_dtos() {
        let mut p =
            json!({"data": [{"mcc": "454", "consumption": [{"consumption": 500, "is_only_supported_hotspots": "2"}]}]});
        apply(idx::QUERY_COUNTRY_GROUPS, &plan(&[ShapeVariant::CardPoolMccDtos]), p.as_object_mut().unwrap());
        assert_eq!(
            p,
            json!({"cardPoolMccDTOS": [{"mcc": "454", "consumption": [{"consumption": 500, "isOnlySupportedHotspots": "2"}]}]})
        );
    }
}
