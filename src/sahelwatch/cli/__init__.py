"""sahelwatch.cli"""
