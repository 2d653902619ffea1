"""The arrangement experiment (issue 15): four architectures learn a task where only the arrangement of a face's parts
tells a face from a jumbled face; the homework's fine-tuning protocol for C13 and C14. `python -m lab.arrangement`."""
