"""`/healthz`: what a load balancer and an operator ask before sending traffic to a process."""
