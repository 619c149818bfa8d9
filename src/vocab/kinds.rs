//! The model's vocabulary: channels, contact kinds, staff activities, urgency
//! and how an episode ends.

/// How a patient first seeks contact (`Channel`, as in Ciw's arrival node).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Channel {
    /// Telephone with call-back (`återuppringning`).
    Phone,
    /// Written request through 1177 e-services.
    EService,
    /// Booking a released slot on the web (`webbtidbok`).
    WebBooking,
    /// Walking in to the drop-in (`öppen mottagning`).
    WalkIn,
    /// A request from municipal home care to a mobile team (`hemtjänst`).
    HomeCare,
}

impl Channel {
    /// Every channel, in report order.
    pub const ALL: [Channel; 5] = [
        Channel::Phone,
        Channel::EService,
        Channel::WebBooking,
        Channel::WalkIn,
        Channel::HomeCare,
    ];
    /// Number of channels.
    pub const COUNT: usize = 5;
    /// Key used in scenario files and outputs.
    pub const fn key(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::EService => "eservice",
            Channel::WebBooking => "web_booking",
            Channel::WalkIn => "walk_in",
            Channel::HomeCare => "home_care",
        }
    }
}

/// What kind of contact a staff member had with a patient; guarantee rules
/// say which kinds count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ContactKind {
    /// A physical visit at the unit (booked or drop-in).
    Visit,
    /// A nurse's triage call (call-back or answered call).
    TriageCall,
    /// A telephone consultation that replaces a visit.
    Phone,
    /// A video visit.
    Video,
    /// A written answer to a 1177 e-service request.
    EService,
    /// A home visit (mobile team).
    HomeVisit,
    /// Fast in-person triage at the drop-in (before the visit).
    DropInTriage,
}

impl ContactKind {
    /// Every kind.
    pub const ALL: [ContactKind; 7] = [
        ContactKind::Visit,
        ContactKind::TriageCall,
        ContactKind::Phone,
        ContactKind::Video,
        ContactKind::EService,
        ContactKind::HomeVisit,
        ContactKind::DropInTriage,
    ];
    /// Key used in scenario files.
    pub const fn key(self) -> &'static str {
        match self {
            ContactKind::Visit => "visit",
            ContactKind::TriageCall => "triage_call",
            ContactKind::Phone => "phone",
            ContactKind::Video => "video",
            ContactKind::EService => "eservice",
            ContactKind::HomeVisit => "home_visit",
            ContactKind::DropInTriage => "dropin_triage",
        }
    }
    /// Bit for a [`ContactKindSet`].
    pub const fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A set of contact kinds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ContactKindSet(pub u8);

impl ContactKindSet {
    /// Every kind.
    pub const ALL: ContactKindSet = ContactKindSet(0x7f);
    /// True if `k` is in the set.
    #[inline]
    pub fn contains(self, k: ContactKind) -> bool {
        self.0 & k.bit() != 0
    }
}

/// What a shift block is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Activity {
    /// Serving the walk-in desk.
    DropIn,
    /// Telephone triage and call-backs.
    Telephone,
    /// Booked visits.
    Visits,
    /// Answering 1177 e-service requests.
    EService,
    /// Mobile team (home visits).
    Mobile,
    /// Administration and other work without patients.
    Admin,
    /// On duty for a shared remote (video) doctor pool serving several units.
    Remote,
}

impl Activity {
    /// Every activity.
    pub const ALL: [Activity; Activity::COUNT] = [
        Activity::DropIn,
        Activity::Telephone,
        Activity::Visits,
        Activity::EService,
        Activity::Mobile,
        Activity::Admin,
        Activity::Remote,
    ];
    /// Number of activities.
    pub const COUNT: usize = 7;
    /// Key used in scenario files and outputs.
    pub const fn key(self) -> &'static str {
        match self {
            Activity::DropIn => "dropin",
            Activity::Telephone => "telephone",
            Activity::Visits => "visits",
            Activity::EService => "eservice",
            Activity::Mobile => "mobile",
            Activity::Admin => "admin",
            Activity::Remote => "remote",
        }
    }
}

/// How soon a category must be seen; also the drop-in queue priority
/// (lower is served first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Urgency {
    /// Same day.
    SameDay = 0,
    /// Within 3 days.
    Within3Days = 1,
    /// Within 2 weeks.
    Within2Weeks = 2,
    /// Planned care.
    Planned = 3,
}

impl Urgency {
    /// Every level, most urgent first.
    pub const ALL: [Urgency; 4] = [
        Urgency::SameDay,
        Urgency::Within3Days,
        Urgency::Within2Weeks,
        Urgency::Planned,
    ];
    /// Number of levels.
    pub const COUNT: usize = 4;
    /// Key used in scenario files.
    pub const fn key(self) -> &'static str {
        match self {
            Urgency::SameDay => "same_day",
            Urgency::Within3Days => "within_3_days",
            Urgency::Within2Weeks => "within_2_weeks",
            Urgency::Planned => "planned",
        }
    }
    /// Queue priority, 0 first.
    pub const fn priority(self) -> usize {
        self as usize
    }
}

/// How an episode ended. Every patient who arrives ends in exactly one of
/// these (the `Outcome` sink; conservation is tested).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum EndState {
    /// Still waiting or being served when the run ended.
    InSystem,
    /// Seen by staff; the episode's flow is done.
    Completed,
    /// Left on arrival because the queue was too long.
    Balked,
    /// Left the queue after running out of patience.
    Reneged,
    /// Sent away at closing without being seen.
    SentAway,
    /// Resolved by self-care advice at triage (`egenvårdsråd`).
    SelfCare,
    /// Referred to the emergency department; leaves the model.
    EmergencyDept,
    /// Did not come to a booked visit and did not book again (`uteblivet besök`).
    NoShow,
    /// No time could be booked (the book was full and the unit turns patients away).
    Overflow,
    /// Cancelled the booked visit (the slot is free again).
    Cancelled,
    /// Declined the first time offered, too far off, and went to another
    /// provider (the category's `elsewhere_per_week`).
    WentElsewhere,
}

impl EndState {
    /// Every state, in report order.
    pub const ALL: [EndState; 11] = [
        EndState::InSystem,
        EndState::Completed,
        EndState::Balked,
        EndState::Reneged,
        EndState::SentAway,
        EndState::SelfCare,
        EndState::EmergencyDept,
        EndState::NoShow,
        EndState::Overflow,
        EndState::Cancelled,
        EndState::WentElsewhere,
    ];
    /// Key used in metric names (`patients_<key>`).
    pub const fn key(self) -> &'static str {
        match self {
            EndState::InSystem => "in_system_at_end",
            EndState::Completed => "completed",
            EndState::Balked => "balked",
            EndState::Reneged => "reneged",
            EndState::SentAway => "sent_away",
            EndState::SelfCare => "self_care",
            EndState::EmergencyDept => "emergency_dept",
            EndState::NoShow => "no_show",
            EndState::Overflow => "overflow",
            EndState::Cancelled => "cancelled",
            EndState::WentElsewhere => "went_elsewhere",
        }
    }
    /// True for the states that count as lost patients.
    pub const fn is_lost(self) -> bool {
        matches!(
            self,
            EndState::Balked | EndState::Reneged | EndState::SentAway | EndState::Overflow
        )
    }
}
