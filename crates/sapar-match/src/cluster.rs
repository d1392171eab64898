//! Clusters of records that are one person: connected components of the pairs at or above a
//! probability, found with union-find, named by their smallest member so names survive re-runs.

use crate::features::Prepared;
use crate::link::ScoredPair;

/// Which input a record comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// The left (or only) input.
    Left,
    /// The right input.
    Right,
}

impl Source {
    /// `left` or `right`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Left => "left",
            Source::Right => "right",
        }
    }
}

/// A record's cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterMember {
    /// Input the record comes from.
    pub source: Source,
    /// Record identifier.
    pub record_id: String,
    /// Cluster identifier (see [`clusters`]).
    pub cluster_id: String,
    /// Number of records in the cluster.
    pub size: usize,
}

struct UnionFind {
    parent: Vec<u32>,
    rank: Vec<u8>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind { parent: (0..n as u32).collect(), rank: vec![0; n] }
    }
    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }
    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return;
        }
        let (ka, kb) = (self.rank[ra as usize], self.rank[rb as usize]);
        if ka < kb {
            self.parent[ra as usize] = rb;
        } else if ka > kb {
            self.parent[rb as usize] = ra;
        } else {
            self.parent[rb as usize] = ra;
            self.rank[ra as usize] += 1;
        }
    }
}

/// Every record with its cluster: the connected components of the pairs whose probability is at
/// least `threshold`. A record linked to nothing is a cluster of one.
///
/// The cluster identifier is the identifier of its smallest member, members ordered by source
/// (left before right) and then by identifier as text. Deduplicating one input it is that
/// record's identifier; linking two inputs it is prefixed by `left:` or `right:`, since the two
/// inputs may reuse identifiers. A re-run on the same data gives the same identifiers, and a
/// cluster keeps its identifier as long as no record smaller than its smallest joins it.
pub fn clusters(data: &Prepared, pairs: &[ScoredPair], threshold: f64) -> Vec<ClusterMember> {
    let nl = data.left_len();
    let link = data.is_link();
    let n = nl + if link { data.right_len() } else { 0 };
    let mut uf = UnionFind::new(n);
    let right_offset = if link { nl as u32 } else { 0 };
    for p in pairs.iter().filter(|p| p.probability() >= threshold) {
        uf.union(p.left, p.right + right_offset);
    }
    let member = |x: usize| -> (Source, &str) {
        if x < nl { (Source::Left, data.left_id(x as u32)) } else { (Source::Right, data.right_id((x - nl) as u32)) }
    };
    let mut smallest: Vec<u32> = (0..n as u32).collect();
    let mut size = vec![0usize; n];
    for x in 0..n {
        let root = uf.find(x as u32) as usize;
        size[root] += 1;
        if member(x) < member(smallest[root] as usize) {
            smallest[root] = x as u32;
        }
    }
    (0..n)
        .map(|x| {
            let root = uf.find(x as u32) as usize;
            let (source, id) = member(x);
            let (min_source, min_id) = member(smallest[root] as usize);
            let cluster_id = if link { format!("{}:{min_id}", min_source.as_str()) } else { min_id.to_string() };
            ClusterMember { source, record_id: id.to_string(), cluster_id, size: size[root] }
        })
        .collect()
}
