//! The render deadline of the current thread, and the one place a render's panic is caught.
//!
//! Layout has no error path (it turns any valid spec into a figure), so rather than thread a
//! `Result` through every chart type, the deadline is checked where work piles up — as items
//! enter a figure, as text is shaped, between pipeline stages — and an expired one unwinds
//! with an [`Expired`] payload, the way salsa cancels a query: `resume_unwind` skips the panic
//! hook, so a timeout prints no backtrace. [`run`] catches that unwind and any real panic and
//! says which it was. Outside [`run`] no deadline is set and [`check`] does nothing.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::time::Instant;

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// The unwind payload of an expired deadline.
#[derive(Debug)]
pub struct Expired;

/// Why [`run`] did not return its closure's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interrupted {
    /// The deadline passed at a [`check`].
    Expired,
    /// The closure panicked; the panic's message, when it had one.
    Panicked(String),
}

/// Puts the previous deadline back however [`run`]'s closure ends.
struct Restore(Option<Instant>);

impl Drop for Restore {
    fn drop(&mut self) {
        DEADLINE.set(self.0);
    }
}

/// Runs `f` with `deadline` set for this thread's [`check`]s.
///
/// # Errors
///
/// [`Interrupted::Expired`] when a check found the deadline passed, [`Interrupted::Panicked`]
/// when `f` panicked. Either way what `f` was building is dropped; state it borrowed mutably
/// may be half-updated and should be rebuilt after a panic.
pub fn run<R>(deadline: Instant, f: impl FnOnce() -> R) -> Result<R, Interrupted> {
    let restore = Restore(DEADLINE.replace(Some(deadline)));
    let result = catch_unwind(AssertUnwindSafe(f));
    drop(restore);
    result.map_err(|payload| {
        if payload.is::<Expired>() {
            Interrupted::Expired
        } else if let Some(s) = payload.downcast_ref::<&str>() {
            Interrupted::Panicked((*s).to_owned())
        } else if let Some(s) = payload.downcast_ref::<String>() {
            Interrupted::Panicked(s.clone())
        } else {
            Interrupted::Panicked(String::new())
        }
    })
}

/// Whether this thread's deadline (if any) has passed.
pub fn expired() -> bool {
    DEADLINE.get().is_some_and(|d| Instant::now() >= d)
}

/// Unwinds to the enclosing [`run`] when its deadline has passed; a no-op without one.
pub fn check() {
    if expired() {
        resume_unwind(Box::new(Expired));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn an_expired_deadline_interrupts_at_the_next_check() {
        let past = Instant::now();
        let mut reached = false;
        let r = run(past, || {
            check();
            reached = true;
        });
        assert_eq!(r, Err(Interrupted::Expired));
        assert!(!reached);
        // Restored: outside `run` a check never unwinds.
        check();
        assert!(!expired());
    }

    #[test]
    fn a_future_deadline_lets_the_work_finish() {
        let r = run(Instant::now() + Duration::from_secs(60), || {
            check();
            7
        });
        assert_eq!(r, Ok(7));
    }

    #[test]
    fn panics_are_caught_with_their_message() {
        let r = run::<()>(Instant::now() + Duration::from_secs(60), || {
            std::panic::panic_any(format!("boom {}", 1))
        });
        assert_eq!(r, Err(Interrupted::Panicked("boom 1".into())));
        let r = run::<()>(Instant::now() + Duration::from_secs(60), || {
            panic!("static")
        });
        assert_eq!(r, Err(Interrupted::Panicked("static".into())));
    }
}
