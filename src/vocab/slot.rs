//! Slot types of an appointment book and how far ahead each is released.

/// Kinds of slot, as Swedish health centres lay out their books.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SlotType {
    /// Released on the day only (`akuttid`).
    Acute,
    /// Bookable a few days ahead (`korttidsbokning`).
    ShortNotice,
    /// Bookable up to the booking horizon.
    Regular,
    /// Released to patients' own web booking (`webbtidbok`).
    Web,
    /// Kept for planned follow-ups (`återbesök`).
    FollowUp,
}

impl SlotType {
    /// Every type.
    pub const ALL: [SlotType; 5] = [
        SlotType::Acute,
        SlotType::ShortNotice,
        SlotType::Regular,
        SlotType::Web,
        SlotType::FollowUp,
    ];
    /// Key in scenario files.
    pub const fn key(self) -> &'static str {
        match self {
            SlotType::Acute => "acute",
            SlotType::ShortNotice => "short_notice",
            SlotType::Regular => "regular",
            SlotType::Web => "web",
            SlotType::FollowUp => "follow_up",
        }
    }
}

/// A set of slot types.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SlotTypeSet(pub u8);

impl SlotTypeSet {
    /// A set of the given types.
    pub const fn of(types: &[SlotType]) -> Self {
        let mut bits = 0u8;
        let mut i = 0;
        while i < types.len() {
            bits |= 1 << types[i] as u8;
            i += 1;
        }
        SlotTypeSet(bits)
    }
    /// True if `t` is in the set.
    pub const fn contains(self, t: SlotType) -> bool {
        self.0 & (1 << t as u8) != 0
    }
}

/// How many days ahead each slot type can be booked (0 = only on the day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ReleaseRules {
    /// Acute slots (normally 0).
    pub acute_days: u32,
    /// Short-notice slots.
    pub short_notice_days: u32,
    /// Regular slots: the booking horizon.
    pub regular_days: u32,
    /// Web slots.
    pub web_days: u32,
    /// Follow-up slots.
    pub follow_up_days: u32,
}

impl ReleaseRules {
    /// Days ahead that slots of type `t` can be booked.
    pub fn days(&self, t: SlotType) -> u32 {
        match t {
            SlotType::Acute => self.acute_days,
            SlotType::ShortNotice => self.short_notice_days,
            SlotType::Regular => self.regular_days,
            SlotType::Web => self.web_days,
            SlotType::FollowUp => self.follow_up_days,
        }
    }

    /// Days ahead that some slot of `types` can be booked: how far a
    /// search of them reaches.
    pub fn reach(&self, types: SlotTypeSet) -> u32 {
        SlotType::ALL
            .into_iter()
            .filter(|&t| types.contains(t))
            .map(|t| self.days(t))
            .max()
            .unwrap_or(0)
    }
}
