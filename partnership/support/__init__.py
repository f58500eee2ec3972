"""School-to-school support: system leaders, deployments and the support figures."""
