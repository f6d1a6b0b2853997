"""sahelwatch.analytics"""
