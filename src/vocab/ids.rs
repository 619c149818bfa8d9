//! Integer ids into the model's `Vec` arenas.
//!
//! Newtypes so that a patient id cannot index the staff arena by mistake.

macro_rules! id {
    ($(#[$doc:meta])* $name:ident($int:ty)) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        pub struct $name(pub $int);
        impl $name {
            /// The arena index.
            #[inline]
            pub const fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id!(
    /// A patient episode in the model's patient arena.
    PatientId(u32)
);
id!(
    /// A staff member.
    StaffId(u32)
);
id!(
    /// A health centre (unit).
    UnitId(u16)
);
id!(
    /// A profession (index into the scenario's profession table).
    ProfessionId(u8)
);
id!(
    /// A case-mix category.
    CategoryId(u16)
);

/// A set of professions as a bit mask: eligibility checks are one `and`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ProfessionSet(pub u64);

impl ProfessionSet {
    /// No profession.
    pub const EMPTY: ProfessionSet = ProfessionSet(0);
    /// Every profession.
    pub const ALL: ProfessionSet = ProfessionSet(u64::MAX);
    /// Adds `p`.
    pub fn insert(&mut self, p: ProfessionId) {
        self.0 |= 1 << p.0;
    }
    /// True if `p` is in the set.
    #[inline]
    pub fn contains(self, p: ProfessionId) -> bool {
        self.0 & (1 << p.0) != 0
    }
    /// The professions in both sets.
    #[inline]
    pub fn intersect(self, other: ProfessionSet) -> ProfessionSet {
        ProfessionSet(self.0 & other.0)
    }
    /// True if the set has no profession.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// The most professions a scenario may define (the width of [`ProfessionSet`]).
pub const MAX_PROFESSIONS: usize = 64;

id!(
    /// An age group.
    AgeId(u8)
);
