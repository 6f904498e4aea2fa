//! Problems with one element of a list, and the walk over a list that turns them into errors
//! with pointers (at most [`MAX_LISTED`] one by one, then a summary).

use super::super::walk::{at, child, invalid};
use crate::spec::SpecError;
use serde_json::Value;

/// Most invalid values reported one by one per list (points of a dataset, labels, colours);
/// the rest are counted in one summary error so that a bad column does not flood the response.
pub(super) const MAX_LISTED: usize = 20;

/// One problem with a list element, before its pointer is known (pointers are only built for
/// values that are actually wrong, keeping the happy path allocation-free).
pub(super) struct Problem {
    /// Member of the element at fault (`x` of a point), if not the element itself.
    pub(super) key: Option<&'static str>,
    pub(super) message: String,
    pub(super) hint: Option<&'static str>,
}

impl Problem {
    pub(super) fn new(message: String) -> Self {
        Problem {
            key: None,
            message,
            hint: None,
        }
    }

    pub(super) fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub(super) fn into_error(self, element_path: String) -> SpecError {
        let path = match self.key {
            Some(key) => child(&element_path, key),
            None => element_path,
        };
        let error = invalid(path, self.message);
        match self.hint {
            Some(hint) => error.with_hint(hint),
            None => error,
        }
    }
}

/// Checks every element of a list with `check`, reporting at most [`MAX_LISTED`] bad elements
/// one by one and the rest in a summary at `path`. `None` when any element was bad.
pub(super) fn each<T>(
    items: &[Value],
    path: &str,
    what: &str,
    errors: &mut Vec<SpecError>,
    mut check: impl FnMut(&Value) -> Result<T, Vec<Problem>>,
) -> Option<Vec<T>> {
    let mut out = Vec::with_capacity(items.len());
    let mut bad = 0usize;
    for (j, item) in items.iter().enumerate() {
        match check(item) {
            Ok(v) => out.push(v),
            Err(problems) => {
                bad += 1;
                if bad <= MAX_LISTED {
                    let element = at(path, j);
                    errors.extend(problems.into_iter().map(|p| p.into_error(element.clone())));
                }
            }
        }
    }
    if bad > MAX_LISTED {
        errors.push(invalid(
            path,
            format!("… and {} more invalid {what}", bad - MAX_LISTED),
        ));
    }
    (bad == 0).then_some(out)
}
