//! Tests of the report data that need a score: built from the built-in catalogue and a made-up scan.

mod verdict;
