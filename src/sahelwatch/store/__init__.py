"""sahelwatch.store"""
