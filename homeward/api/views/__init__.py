"""The API's endpoints, one module per resource. Each reaches records through the same
functions as the pages (cases.access, tracing.access, imports.access, the missions
views' rules) and changes them through the same services."""
