//! `replications.csv`: tidy long format, one row per replication × metric
//! (× breakdown group).

use super::ReportError;
use crate::experiment::RunResults;

/// The CSV bytes with header
/// `scenario,replication,metric,by,group,unit,value`, fields separated by
/// `sep` (`b','`, or `b';'` for Excel set to Swedish). Values keep a decimal
/// point whatever the separator, so the file stays machine-readable.
pub fn replications_csv(results: &RunResults, sep: u8) -> Result<Vec<u8>, ReportError> {
    let ser = |e: csv::Error| ReportError::Serialize(e.to_string());
    let mut w = csv::WriterBuilder::new()
        .delimiter(sep)
        .from_writer(Vec::new());
    w.write_record([
        "scenario",
        "replication",
        "metric",
        "by",
        "group",
        "unit",
        "value",
    ])
    .map_err(ser)?;
    for (r, rep) in results.replications.iter().enumerate() {
        for o in &rep.observations {
            let value = if o.value.is_finite() {
                o.value.to_string()
            } else {
                String::new()
            };
            w.write_record([
                results.scenario.as_str(),
                &r.to_string(),
                &o.metric,
                o.by.map(|b| b.key()).unwrap_or(""),
                &o.group,
                o.unit.key(),
                &value,
            ])
            .map_err(ser)?;
        }
    }
    w.into_inner()
        .map_err(|e| ReportError::Serialize(e.to_string()))
}
