"""sahelwatch.sources"""
