//! The event-loop lesson's words: its outcome and its checks.

crate::catalog! {
    pub struct Words;

    /// The outcome in the tables.
    pages(n: usize): "{n} pages" | "{n} 页";
    refused(n: usize): "refused {n}×" | "被拒 {n} 次";
    /// The checks.
    every_page: "every page fetched" | "每一页都拿到了";
    got_of(got: usize, want: usize): "{got} of {want} pages" | "{want} 页拿到 {got} 页";
}
