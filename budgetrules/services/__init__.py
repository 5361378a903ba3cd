"""What users do with the engine, as library functions: simulate a scenario, audit it, simulate a
virement, explain a figure, check expectations. They return documents, never print."""
