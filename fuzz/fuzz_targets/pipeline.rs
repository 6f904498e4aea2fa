//! The whole pipeline on the CPU backend: bytes → spec → layout → vello_cpu → PNG. A panic
//! anywhere is a finding; so is a render past libFuzzer's `-timeout`, since every spec the
//! validator accepts must render within the server's deadline.
#![no_main]

use clovicharts::pipeline::ChartWorker;
use clovicharts::render::CpuRenderer;
use libfuzzer_sys::fuzz_target;
use std::cell::RefCell;

thread_local! {
    // One worker kept between inputs, as a render thread keeps it between charts.
    static WORKER: RefCell<ChartWorker> =
        RefCell::new(ChartWorker::new(Box::new(CpuRenderer::new())));
}

fuzz_target!(|data: &[u8]| {
    let Ok(spec) = clovicharts::spec::parse_spec(data) else {
        return;
    };
    WORKER.with(|w| {
        let _ = w.borrow_mut().render(&spec);
    });
});
