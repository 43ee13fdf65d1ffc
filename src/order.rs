//! The first few of a long list in order, without sorting all of it: a report shows the worst
//! 10 or 100 of what can be every function of a repository.

use std::cmp::Ordering;

/// The first `n` of `items` in `order`, ties kept in their order in `items`: what a stable sort
/// and a truncation give, in O(len + n log n).
pub fn first_sorted<T>(items: Vec<T>, n: usize, order: impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    let mut indexed: Vec<(usize, T)> = items.into_iter().enumerate().collect();
    // The index breaks every tie, so the order is total and selecting first changes nothing.
    let total = |(i, a): &(usize, T), (j, b): &(usize, T)| order(a, b).then(i.cmp(j));
    if n < indexed.len() {
        if n == 0 {
            return Vec::new();
        }
        indexed.select_nth_unstable_by(n - 1, total);
        indexed.truncate(n);
    }
    indexed.sort_unstable_by(total);
    indexed.into_iter().map(|(_, item)| item).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_n_are_a_stable_sort_truncated() {
        // Pairs with many equal keys: a tie keeps the order the second field records.
        let mut state = 7u64;
        let items: Vec<(u32, usize)> = (0..500)
            .map(|i| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((state >> 59) as u32, i)
            })
            .collect();
        let by_key = |a: &(u32, usize), b: &(u32, usize)| b.0.cmp(&a.0);
        for n in [0, 1, 10, 100, 499, 500, 600] {
            let mut expected = items.clone();
            expected.sort_by(by_key);
            expected.truncate(n);
            assert_eq!(first_sorted(items.clone(), n, by_key), expected, "n = {n}");
        }
        assert_eq!(first_sorted(Vec::<u8>::new(), 3, u8::cmp), Vec::<u8>::new());
    }
}
