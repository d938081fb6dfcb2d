"""The issue as written: finding the project, YAML that remembers its lines, validation errors
at those lines, the models (issue, publication, sections, audiences.yaml), the section
registry and the JSON Schema editors use. Nothing here renders, checks or sends."""
