//! Helpers shared by the record's tests.

use terminus_ledger::keys::MemberKey;
use terminus_ledger::record::{Member, Record};

/// The AM-AZ commission founded at `time` by ARM's head with the heads of
/// both parties as members; the record and the two heads' keys.
pub fn two_heads(time: &str) -> (Record, MemberKey, MemberKey) {
    let (arm, aze) = (MemberKey::generate(), MemberKey::generate());
    let m = |id: &str, party: &str, k: &MemberKey| Member::new(id, party, "head", k);
    let r = Record::found(
        "AM-AZ",
        &[m("arm-head", "ARM", &arm), m("aze-head", "AZE", &aze)],
        ("arm-head", &arm),
        time,
    );
    (r, arm, aze)
}
