"""Results: the pure scoring core, ranking, awards, announcement, statistics, exports, the executive deck."""
