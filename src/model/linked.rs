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
//!
//! A replication runs [`split_groups`]: the linked groups, except that an
//! e-service provider linked by nothing but the inboxes it answers runs
//! apart, before the units it answers (`model/split.rs`).

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
    groups_apart(sc, &vec![false; sc.units.len()])
}

/// The runs of a replication (`simulate_tallied`): the linked groups,
/// with each e-service provider that can run apart from the units it
/// answers (`model/split.rs`) a group of its own, and which units those
/// are. A provider runs apart when it answers its own inbox and, its
/// inbox aside, is linked to nothing (with continuity of care, never).
pub fn split_groups(sc: &Scenario) -> (Vec<LinkedGroup>, Vec<bool>) {
    let n = sc.units.len();
    let mut apart = vec![false; n];
    if sc.units.iter().all(|u| u.continuity.is_none()) {
        for unit in &sc.units {
            if let Some(h) = unit.eservice_host {
                apart[h] = sc.units[h].eservice_host.is_none();
            }
        }
    }
    let groups = groups_apart(sc, &apart);
    let mut linked = false;
    for g in &groups {
        if g.units.len() > 1 || !g.teams.is_empty() {
            for u in &g.units {
                linked |= std::mem::take(&mut apart[u.index()]);
            }
        }
    }
    if linked {
        // A provider linked otherwise: with its units after all.
        return (groups_apart(sc, &apart), apart);
    }
    (groups, apart)
}

/// The linked groups when the e-service requests sent to the units of
/// `apart` link nothing.
fn groups_apart(sc: &Scenario, apart: &[bool]) -> Vec<LinkedGroup> {
    let n = sc.units.len();
    let mut links = Links((0..n).collect());
    let continuity = sc.units.iter().any(|u| u.continuity.is_some());
    for (u, unit) in sc.units.iter().enumerate() {
        let remote = unit.dropin.as_ref().and_then(|d| d.remote_doctor);
        let inbox = unit.eservice_host.filter(|&h| !apart[h]);
        for other in [unit.phone_host, inbox, remote].into_iter().flatten() {
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
/// linked group's; and, for a split provider (`model/split.rs`), whose
/// e-service requests it answers as stand-ins, or whose answers the run's
/// units are given.
#[derive(Clone, Debug)]
pub(crate) struct InRun {
    units: Vec<bool>,
    teams: Vec<bool>,
    /// Units (not simulated) whose e-service arrival streams run here as
    /// stand-ins for a provider's run.
    stand_ins: Vec<bool>,
    /// Units whose e-service provider ran apart (empty: none).
    answered: Vec<bool>,
    /// Where a provider's run writes its answers, and a served unit's run
    /// reads them.
    spool: Option<std::sync::Arc<crate::model::split::AnswerSpool>>,
}

impl InRun {
    /// Every unit and team of `sc`.
    pub fn all(sc: &Scenario) -> Self {
        InRun {
            units: vec![true; sc.units.len()],
            teams: vec![true; sc.mobile_teams.len()],
            stand_ins: vec![false; sc.units.len()],
            answered: Vec::new(),
            spool: None,
        }
    }

    /// The units and teams of `group`.
    pub fn group(sc: &Scenario, group: &LinkedGroup) -> Self {
        let mut r = InRun {
            units: vec![false; sc.units.len()],
            teams: vec![false; sc.mobile_teams.len()],
            stand_ins: vec![false; sc.units.len()],
            answered: Vec::new(),
            spool: None,
        };
        group.units.iter().for_each(|u| r.units[u.index()] = true);
        group.teams.iter().for_each(|&t| r.teams[t] = true);
        r
    }

    /// As a run of `group`, a provider running apart
    /// ([`split_groups`]): with the e-service requests of the units it
    /// answers as stand-ins, its answers written into `spool`.
    pub fn provider(
        sc: &Scenario,
        group: &LinkedGroup,
        spool: std::sync::Arc<crate::model::split::AnswerSpool>,
    ) -> Self {
        let mut r = Self::group(sc, group);
        r.spool = Some(spool);
        for (u, unit) in sc.units.iter().enumerate() {
            r.stand_ins[u] = unit.eservice_host.is_some_and(|h| r.units[h]);
        }
        r
    }

    /// This run's units whose provider is one of `apart` take its answers
    /// from `spool`.
    pub fn answered_by(
        mut self,
        sc: &Scenario,
        apart: &[bool],
        spool: std::sync::Arc<crate::model::split::AnswerSpool>,
    ) -> Self {
        self.answered = sc
            .units
            .iter()
            .map(|u| u.eservice_host.is_some_and(|h| apart[h]))
            .collect();
        self.spool = Some(spool);
        self
    }

    /// Unit `u`'s e-service arrivals run here as stand-ins.
    #[inline]
    pub fn stand_in(&self, u: usize) -> bool {
        self.stand_ins[u]
    }

    /// Unit `u`'s e-service requests are answered by a provider that ran
    /// apart.
    #[inline]
    pub fn answered_apart(&self, u: usize) -> bool {
        self.answered.get(u).is_some_and(|&a| a)
    }

    /// The spool a split provider's answers go through.
    pub fn spool(&self) -> Option<&std::sync::Arc<crate::model::split::AnswerSpool>> {
        self.spool.as_ref()
    }

    /// How many units are simulated.
    pub fn units_simulated(&self) -> usize {
        self.units.iter().filter(|&&u| u).count()
    }

    /// Some units' e-service requests run here as stand-ins (a split
    /// provider's run).
    pub fn has_stand_ins(&self) -> bool {
        self.stand_ins.contains(&true)
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
