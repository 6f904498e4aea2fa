//! The spec parser (fast path and validator) on arbitrary bytes: it must answer `Ok` or a
//! list of errors, never panic, whatever the body.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match clovicharts::spec::parse_spec(data) {
        Ok(spec) => {
            // A spec that validates must also be within its cost budget's arithmetic.
            let _ = clovicharts::spec::budget::cost(&spec);
        }
        Err(errors) => assert!(!errors.errors.is_empty(), "an error list is never empty"),
    }
});
