//! Who may see and delete a stored chart. A chart the caller may not see is answered exactly like
//! one that does not exist (404), so ids of private charts don't leak.

use super::auth::Principal;
use crate::accounts::Scope;
use crate::spec::Visibility;
use crate::store::ChartRecord;

/// Whether `p` owns `record`.
fn owns(p: &Principal, record: &ChartRecord) -> bool {
    record.owner.as_deref() == Some(p.user_key().as_str())
}

/// Public and unlisted charts: anyone. Private ones: admins, and the owner (API keys need
/// `charts:read`).
pub(super) fn can_view(viewer: Option<&Principal>, record: &ChartRecord) -> bool {
    match record.visibility {
        Visibility::Public | Visibility::Unlisted => true,
        Visibility::Private => viewer
            .is_some_and(|p| p.is_admin() || (owns(p, record) && p.has_scope(Scope::ChartsRead))),
    }
}

/// Admins, and the owner (API keys need `charts:write`).
pub(super) fn can_delete(p: &Principal, record: &ChartRecord) -> bool {
    p.is_admin() || (owns(p, record) && p.has_scope(Scope::ChartsWrite))
}
