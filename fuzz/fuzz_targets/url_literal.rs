//! The URL API's config reader (function quoting, then JSON5) and request builder on arbitrary
//! text: it must answer a chart object or an error, never panic or hang, whatever `c=` holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = clovicharts::urlapi::literal::parse(text);
    let query = HashMap::from([("c".to_owned(), text.to_owned())]);
    if let Ok(request) = clovicharts::urlapi::from_query(&query) {
        let _ = clovicharts::spec::from_value(&request.chart);
    }
});
