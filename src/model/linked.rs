//! Linked groups: the units of a region that share something, so that an
//! event of one may touch another's state. Units in different groups share
//! nothing, and `simulate_tallied` runs each group on its own engine and
//! model and adds up their records (`model/merge.rs`): the region's events
//! no longer interleave in one heap and one set of arenas.
//!
//! Two units are linked (union-find, transitively) when
//! - one's telephone line is answered by the other (`phone_host`);
//! - one's e-service requests are answered by the other (`eservice_host`);
//! - one's drop-in sends acute patients to the other's remote doctor pool
//!   (`dropin.remote_doctor`; a local drop-in post assists the examination);
//! - a mobile team is based at one and serves the other (its crews are the
//!   base's staff; the team belongs to its base's group);
//! - the scenario has continuity of care anywhere
//!   (`[units.<u>.continuity]`): then every unit is linked, since its
//!   region-wide indexes by age group and category are float sums over
//!   every unit's listed patients, exact only in one pass.
//!
//! Nothing else crosses units: staff, stand-ins (`cover`) and absence are a
//! unit's own, a patient stays with their unit (booking, triage, the
//! drop-in), and every random stream is named by unit or team.
//! Groups are ordered by their first unit; a group's units ascend.

use crate::scenario::spec::Scenario;
use crate::vocab::ids::UnitId;

/// One linked group: its units (ascending) and the mobile teams based at
/// them (ascending, indexes into `Scenario::mobile_teams`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkedGroup {
    /// Units of the group.
    pub units: Vec<UnitId>,
    /// Mobile teams based at its units.
    pub teams: Vec<usize>,
}

/// Union-find over unit indexes (path halving; the smaller root wins, so a
/// root is its set's first unit).
struct Links(Vec<usize>);

impl Links {
    fn root(&mut self, mut u: usize) -> usize {
        while self.0[u] != u {
            self.0[u] = self.0[self.0[u]];
            u = self.0[u];
        }
        u
    }

    fn link(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        self.0[ra.max(rb)] = ra.min(rb);
    }
}

/// The linked groups of `sc`'s units (see the module docs), ordered by
/// their first unit. One group holds every unit when they are all linked.
pub fn linked_groups(sc: &Scenario) -> Vec<LinkedGroup> {
    let n = sc.units.len();
    let mut links = Links((0..n).collect());
    let continuity = sc.units.iter().any(|u| u.continuity.is_some());
    for (u, unit) in sc.units.iter().enumerate() {
        let remote = unit.dropin.as_ref().and_then(|d| d.remote_doctor);
        for other in [unit.phone_host, unit.eservice_host, remote]
            .into_iter()
            .flatten()
        {
            links.link(u, other);
        }
        if continuity {
            links.link(u, 0);
        }
    }
    for team in &sc.mobile_teams {
        for served in &team.serves {
            links.link(team.base.index(), served.index());
        }
    }
    let mut groups: Vec<LinkedGroup> = Vec::new();
    let mut group_of_root = vec![usize::MAX; n];
    for u in 0..n {
        let r = links.root(u);
        if group_of_root[r] == usize::MAX {
            group_of_root[r] = groups.len();
            groups.push(LinkedGroup {
                units: Vec::new(),
                teams: Vec::new(),
            });
        }
        groups[group_of_root[r]].units.push(UnitId(u as u16));
    }
    for (t, team) in sc.mobile_teams.iter().enumerate() {
        let r = links.root(team.base.index());
        groups[group_of_root[r]].teams.push(t);
    }
    groups
}

/// Which units and teams one run of the model simulates: every one, or one
/// linked group's.
#[derive(Clone, Debug)]
pub(crate) struct InRun {
    units: Vec<bool>,
    teams: Vec<bool>,
}

impl InRun {
    /// Every unit and team of `sc`.
    pub fn all(sc: &Scenario) -> Self {
        InRun {
            units: vec![true; sc.units.len()],
            teams: vec![true; sc.mobile_teams.len()],
        }
    }

    /// The units and teams of `group`.
    pub fn group(sc: &Scenario, group: &LinkedGroup) -> Self {
        let mut r = InRun {
            units: vec![false; sc.units.len()],
            teams: vec![false; sc.mobile_teams.len()],
        };
        group.units.iter().for_each(|u| r.units[u.index()] = true);
        group.teams.iter().for_each(|&t| r.teams[t] = true);
        r
    }

    /// Unit `u` is simulated.
    #[inline]
    pub fn unit(&self, u: usize) -> bool {
        self.units[u]
    }

    /// Mobile team `t` is simulated.
    #[inline]
    pub fn team(&self, t: usize) -> bool {
        self.teams[t]
    }
}
