//! A circuit breaker around the model: after a run of failures, skip it for a cool-down so
//! requests get the data-driven text at once instead of waiting out a timeout each.
//!
//! Closed (calls go through) → after `threshold` consecutive failures → Open (no calls) until
//! the cool-down ends → Half-open: one probe call; its success closes the breaker, its failure
//! opens it again. A probe that never reports (its request was cancelled) is replaced by another
//! after `probe_timeout`. A 429 opens the breaker for the server's `Retry-After`.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Longest pause a `Retry-After` may impose: a hostile or broken server must not switch the
/// model off for hours.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(600);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Closed { failures: u32 },
    Open { until: Instant },
    HalfOpen { probe_since: Instant },
}

/// What a state change was, for logs and metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Transition {
    /// Nothing changed.
    None,
    /// The breaker opened: calls are skipped for this long.
    Opened(Duration),
    /// A probe succeeded and the breaker closed.
    Closed,
}

/// The breaker. `threshold` 0 turns it off: it never opens.
#[derive(Debug)]
pub(crate) struct Breaker {
    threshold: u32,
    cooldown: Duration,
    probe_timeout: Duration,
    state: Mutex<State>,
}

impl Breaker {
    /// A closed breaker.
    pub(crate) fn new(threshold: u32, cooldown: Duration, probe_timeout: Duration) -> Breaker {
        Breaker {
            threshold,
            cooldown,
            probe_timeout,
            state: Mutex::new(State::Closed { failures: 0 }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a call may go out now (in half-open state, only the probe).
    pub(crate) fn allow(&self) -> bool {
        self.allow_at(Instant::now())
    }

    fn allow_at(&self, now: Instant) -> bool {
        let mut state = self.state();
        match *state {
            State::Closed { .. } => true,
            State::Open { until } if now < until => false,
            State::HalfOpen { probe_since } if now < probe_since + self.probe_timeout => false,
            State::Open { .. } | State::HalfOpen { .. } => {
                *state = State::HalfOpen { probe_since: now };
                true
            }
        }
    }

    /// The model answered.
    pub(crate) fn success(&self) -> Transition {
        let mut state = self.state();
        let was_closed = matches!(*state, State::Closed { .. });
        *state = State::Closed { failures: 0 };
        if was_closed {
            Transition::None
        } else {
            Transition::Closed
        }
    }

    /// The call failed (error status, timeout, unreadable answer).
    pub(crate) fn failure(&self) -> Transition {
        self.failure_at(Instant::now())
    }

    fn failure_at(&self, now: Instant) -> Transition {
        if self.threshold == 0 {
            return Transition::None;
        }
        let mut state = self.state();
        match *state {
            State::Closed { failures } if failures + 1 < self.threshold => {
                *state = State::Closed {
                    failures: failures + 1,
                };
                Transition::None
            }
            State::Open { .. } => Transition::None,
            State::Closed { .. } | State::HalfOpen { .. } => {
                *state = State::Open {
                    until: now + self.cooldown,
                };
                Transition::Opened(self.cooldown)
            }
        }
    }

    /// The server asked for a pause (`429` + `Retry-After`): open for that long (at most
    /// [`MAX_RETRY_AFTER`]), or count a plain failure when it gave no usable time.
    pub(crate) fn pause(&self, retry_after: Option<Duration>) -> Transition {
        match retry_after {
            Some(d) if self.threshold > 0 => {
                let d = d.min(MAX_RETRY_AFTER);
                *self.state() = State::Open {
                    until: Instant::now() + d,
                };
                Transition::Opened(d)
            }
            _ => self.failure(),
        }
    }

    /// Whether calls are being skipped now (for `/health`).
    pub(crate) fn is_open(&self) -> bool {
        matches!(*self.state(), State::Open { until } if Instant::now() < until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: Duration = Duration::from_secs(1);

    #[test]
    fn opens_after_the_threshold_and_closes_after_a_good_probe() {
        let b = Breaker::new(3, 10 * SEC, 2 * SEC);
        let t0 = Instant::now();
        assert!(b.allow_at(t0));
        assert_eq!(b.failure_at(t0), Transition::None);
        assert_eq!(b.failure_at(t0), Transition::None);
        assert_eq!(b.failure_at(t0), Transition::Opened(10 * SEC));
        assert!(!b.allow_at(t0 + SEC));
        // Cool-down over: one probe, the others still skip.
        assert!(b.allow_at(t0 + 11 * SEC));
        assert!(!b.allow_at(t0 + 11 * SEC));
        assert_eq!(b.success(), Transition::Closed);
        assert!(b.allow_at(t0 + 11 * SEC));
        assert_eq!(b.success(), Transition::None);
    }

    #[test]
    fn a_failed_probe_reopens_and_a_lost_probe_is_replaced() {
        let b = Breaker::new(1, 10 * SEC, 2 * SEC);
        let t0 = Instant::now();
        assert_eq!(b.failure_at(t0), Transition::Opened(10 * SEC));
        assert!(b.allow_at(t0 + 10 * SEC));
        assert_eq!(b.failure_at(t0 + 10 * SEC), Transition::Opened(10 * SEC));
        assert!(!b.allow_at(t0 + 15 * SEC));
        assert!(b.allow_at(t0 + 20 * SEC));
        // That probe never reports; after the probe timeout another goes.
        assert!(!b.allow_at(t0 + 21 * SEC));
        assert!(b.allow_at(t0 + 22 * SEC));
    }

    #[test]
    fn successes_reset_the_count() {
        let b = Breaker::new(2, SEC, SEC);
        let t0 = Instant::now();
        b.failure_at(t0);
        b.success();
        assert_eq!(b.failure_at(t0), Transition::None);
        assert!(b.allow_at(t0));
    }

    #[test]
    fn retry_after_opens_for_that_long_capped() {
        let b = Breaker::new(5, SEC, SEC);
        assert_eq!(b.pause(Some(30 * SEC)), Transition::Opened(30 * SEC));
        assert!(b.is_open());
        assert_eq!(
            b.pause(Some(Duration::from_secs(86_400))),
            Transition::Opened(MAX_RETRY_AFTER)
        );
        let b = Breaker::new(5, SEC, SEC);
        assert_eq!(b.pause(None), Transition::None);
        assert!(!b.is_open());
    }

    #[test]
    fn threshold_zero_never_opens() {
        let b = Breaker::new(0, SEC, SEC);
        for _ in 0..100 {
            assert_eq!(b.failure(), Transition::None);
        }
        assert_eq!(b.pause(Some(SEC)), Transition::None);
        assert!(b.allow() && !b.is_open());
    }
}
