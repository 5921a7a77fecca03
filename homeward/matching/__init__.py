"""The family-tracing matching engine: pure Python, never imports Django.

Entry points: `engine.find_candidates`, `engine.find_duplicates`, `engine.score_pair`,
`engine.train` and `linkfiles.link_files`; records in `records`, settings in `scoring`.
"""
