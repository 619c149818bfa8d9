//! `replications.csv`: tidy long format, one row per replication × metric
//! (× breakdown group).

use super::ReportError;
use super::spreadsheet::CsvFormat;
use crate::experiment::RunResults;

/// The CSV bytes with header
/// `scenario,replication,metric,by,group,unit,value`, in `format`: for
/// programs (the default: decimal point, keys as in summary.json, fields
/// separated by `format.sep`) or for a spreadsheet (BOM, decimal comma,
/// headers, units and group labels in its language; see [`CsvFormat`]).
pub fn replications_csv(results: &RunResults, format: CsvFormat) -> Result<Vec<u8>, ReportError> {
    let ser = |e: csv::Error| ReportError::Serialize(e.to_string());
    let mut w = csv::WriterBuilder::new()
        .delimiter(format.sep)
        .from_writer(format.preamble().to_vec());
    w.write_record(
        [
            "scenario",
            "replication",
            "metric",
            "by",
            "group",
            "unit",
            "value",
        ]
        .map(|h| format.header(h)),
    )
    .map_err(ser)?;
    for (r, rep) in results.replications.iter().enumerate() {
        for o in &rep.observations {
            let by = o.by.map(|b| b.key()).unwrap_or("");
            w.write_record([
                results.scenario.as_str(),
                &r.to_string(),
                &o.metric,
                by,
                &format.group(by, &o.group),
                &format.period_unit(&o.metric, o.unit.key(), results.measured_days),
                &format.number(o.value),
            ])
            .map_err(ser)?;
        }
    }
    w.into_inner()
        .map_err(|e| ReportError::Serialize(e.to_string()))
}
