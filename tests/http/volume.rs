//! The chart directory's volume going away under a running server (issue 17): the directory
//! removed, then an empty directory in its place (an unmounted mount point). Every request that
//! needs the files answers `503 STORE_UNAVAILABLE` with `Retry-After` — not a 500, not a 404 for
//! a chart that exists, and nothing is written into the empty mount point — `/readyz` fails, and
//! everything works again once the volume is back, without a restart.

use crate::harness::*;
use std::time::Duration;

#[tokio::test]
async fn a_gone_chart_volume_is_503_and_recovers_when_it_returns() {
    let data = temp_dir("volume");
    let server = TestServer::start_in(&data, |_| {}).await;
    let made = server.generate(&bar_spec()).await;
    let image = format!("/charts/{}.png", made["chart_id"].as_str().unwrap());
    assert_eq!(server.get(&image).send().await.unwrap().status(), 200);

    let charts = data.join("charts");
    let away = data.join("charts.away");
    std::fs::rename(&charts, &away).unwrap();
    let gone = |what: &'static str| {
        let server = &server;
        let image = image.clone();
        async move {
            let r = server
                .post_json("/api/charts/generate", &bar_spec())
                .user()
                .send()
                .await
                .unwrap();
            assert!(r.headers().contains_key("retry-after"), "{what}: generate");
            expect_error(r, 503, "STORE_UNAVAILABLE").await;
            let r = server.get(&image).send().await.unwrap();
            assert!(r.headers().contains_key("retry-after"), "{what}: image");
            expect_error(r, 503, "STORE_UNAVAILABLE").await;
            let r = server.get("/readyz").send().await.unwrap();
            assert_eq!(r.status(), 503, "{what}: readyz");
        }
    };
    gone("directory removed").await;

    // An empty directory where the volume was mounted: not the one opened, so still 503, and
    // nothing lands in it.
    std::fs::create_dir(&charts).unwrap();
    gone("empty mount point").await;
    assert_eq!(
        std::fs::read_dir(&charts).unwrap().count(),
        0,
        "nothing written"
    );

    std::fs::remove_dir(&charts).unwrap();
    std::fs::rename(&away, &charts).unwrap();
    assert_eq!(server.get(&image).send().await.unwrap().status(), 200);
    server.generate(&bar_spec()).await;
    assert_eq!(server.get("/readyz").send().await.unwrap().status(), 200);
    server.stop().await;
}

/// Objects without a row left by a crashed instance go while the server runs: swept every
/// `STORAGE_SWEEP_INTERVAL_SECS`, those older than the grace period only, stored charts kept.
#[tokio::test]
async fn a_running_server_sweeps_objects_without_a_row_periodically() {
    for grace in [0, 3_600] {
        let data = temp_dir("sweep");
        let server = TestServer::start_in(&data, |c| {
            c.storage.sweep_grace = Duration::from_secs(grace);
            c.storage.sweep_interval = Some(Duration::from_millis(100));
        })
        .await;
        let made = server.generate(&bar_spec()).await;
        let kept = data.join(format!("charts/{}.png", made["chart_id"].as_str().unwrap()));
        let charts = data.join("charts");
        let orphan = charts.join(format!("{}.png", uuid::Uuid::new_v4()));
        let young = charts.join(format!("{}.png", uuid::Uuid::new_v4()));
        std::fs::write(&orphan, b"torn").unwrap();
        let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7_200);
        let file = std::fs::File::options().write(true).open(&orphan).unwrap();
        file.set_modified(two_hours_ago).unwrap();
        drop(file);
        std::fs::write(&young, b"in flight elsewhere").unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while orphan.exists() && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(!orphan.exists(), "grace {grace}: the old orphan was swept");
        assert!(kept.exists(), "grace {grace}: the stored chart is kept");
        if grace > 0 {
            tokio::time::sleep(Duration::from_millis(300)).await;
            assert!(young.exists(), "an object younger than the grace is left");
        }
        server.stop().await;
    }
}
