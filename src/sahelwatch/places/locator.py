"""Fast point-in-polygon for many points: an adaptive raster in front of an STRtree.

Built once per boundary level (cached on the boundary set's index). The
bounding box of the units is cut into cells of ``1/coarsest`` degrees; a cell
that lies wholly inside one unit is *pure* and answers every point in it
without any geometry test; a cell that touches no unit is *empty*; the
others are split in four, down to ``1/finest`` degrees, where what is left is
*mixed*. Only points in mixed cells (a few percent of the area, along unit
edges) go through the exact STRtree ``within`` test.

The result equals the exact test except for points lying exactly on a pure
cell's edge where that edge is also a unit boundary: they get that unit
instead of none (a point on a boundary belongs to neither side under the
exact OGC predicate).
"""

from __future__ import annotations

EMPTY = -2
MIXED = -1


class Locator:
    """Containing unit of points for one set of polygons."""

    def __init__(self, geoms, tree, *, coarsest: int = 2, finest: int = 32, margin_deg: float = 1.0):
        import numpy as np
        import shapely

        self.geoms = geoms
        self.tree = tree
        self.finest = finest
        self.margin = margin_deg
        self._near: dict[int, object] = {}
        if len(geoms) == 0:
            self.x0 = self.y0 = 0.0
            self.grid = np.full((0, 0), EMPTY, dtype=np.int32)
            return
        bx0, by0, bx1, by1 = shapely.total_bounds(geoms)
        self.x0 = np.floor((bx0 - margin_deg) * coarsest) / coarsest
        self.y0 = np.floor((by0 - margin_deg) * coarsest) / coarsest
        ncx = int(np.ceil((bx1 + margin_deg - self.x0) * coarsest))
        ncy = int(np.ceil((by1 + margin_deg - self.y0) * coarsest))
        f = finest // coarsest
        grid = np.full((ncy * f, ncx * f), EMPTY, dtype=np.int32)
        ii, jj = np.meshgrid(np.arange(ncy), np.arange(ncx), indexing="ij")
        ii, jj, r = ii.ravel(), jj.ravel(), coarsest
        while len(ii):
            size = 1.0 / r
            boxes = shapely.box(self.x0 + jj * size, self.y0 + ii * size, self.x0 + (jj + 1) * size, self.y0 + (ii + 1) * size)
            bi, ui = tree.query(boxes, predicate="intersects")
            count = np.bincount(bi, minlength=len(boxes))
            owner = np.full(len(boxes), -1, dtype=np.int64)
            owner[bi] = ui
            single = np.flatnonzero(count == 1)
            pure = np.zeros(len(boxes), dtype=bool)
            if len(single):
                pure[single[shapely.contains(geoms[owner[single]], boxes[single])]] = True
            scale = finest // r
            if scale == 1:
                grid[ii[pure], jj[pure]] = owner[pure]
            else:
                for k in np.flatnonzero(pure):
                    grid[ii[k] * scale:(ii[k] + 1) * scale, jj[k] * scale:(jj[k] + 1) * scale] = owner[k]
            mixed = (count > 0) & ~pure
            if r >= finest:
                grid[ii[mixed], jj[mixed]] = MIXED
                break
            mi, mj = ii[mixed], jj[mixed]
            ii = np.concatenate([2 * mi, 2 * mi, 2 * mi + 1, 2 * mi + 1])
            jj = np.concatenate([2 * mj, 2 * mj + 1, 2 * mj, 2 * mj + 1])
            r *= 2
        self.grid = grid

    def _cells(self, x, y, ok):
        import numpy as np

        ny, nx = self.grid.shape
        with np.errstate(invalid="ignore"):
            i = np.floor((np.where(ok, y, self.y0 - 1) - self.y0) * self.finest).astype(np.int64)
            j = np.floor((np.where(ok, x, self.x0 - 1) - self.x0) * self.finest).astype(np.int64)
        inb = ok & (i >= 0) & (i < ny) & (j >= 0) & (j < nx)
        return i, j, inb

    def locate(self, x, y, ok):
        """Unit index holding each point (-1: none), for numpy ``x``/``y`` and a validity mask."""
        import numpy as np
        import shapely

        n = len(x)
        unit = np.full(n, -1, dtype=np.int64)
        if self.grid.size == 0:
            return unit
        i, j, inb = self._cells(x, y, ok)
        code = np.full(n, EMPTY, dtype=np.int32)
        code[inb] = self.grid[i[inb], j[inb]]
        pure = code >= 0
        unit[pure] = code[pure]
        sel = np.flatnonzero(code == MIXED)
        if len(sel):
            pt, hit = self.tree.query(shapely.points(x[sel], y[sel]), predicate="within")
            first = np.unique(pt, return_index=True)[1]
            unit[sel[pt[first]]] = hit[first]
        return unit

    def maybe_near(self, x, y, ok, tol_deg: float):
        """False where no unit can lie within ``tol_deg`` degrees of the point (a safe pre-filter)."""
        import numpy as np

        n = len(x)
        if self.grid.size == 0:
            return np.zeros(n, dtype=bool)
        if tol_deg >= self.margin:
            return ok.copy()
        k = int(np.ceil(tol_deg * self.finest)) + 1
        near = self._near.get(k)
        if near is None:
            near = _dilate(self.grid != EMPTY, k)
            self._near[k] = near
        i, j, inb = self._cells(x, y, ok)
        out = np.zeros(n, dtype=bool)
        out[inb] = near[i[inb], j[inb]]
        return out


class NearestEdge:
    """Nearest unit to points outside it, via an STRtree of boundary *segments*.

    The distance from an outside point to a polygon is its distance to the
    polygon's boundary, and a tree of two-point segments answers that without
    walking a big polygon's every vertex for every point.
    """

    def __init__(self, geoms, iso3):
        import numpy as np
        import shapely

        lines = shapely.boundary(geoms)
        coords, line_of = shapely.get_coordinates(lines, return_index=True)
        # Split multi-part boundaries into rings so a segment never joins two rings.
        parts, part_of = shapely.get_parts(lines, return_index=True)
        pcoords, pidx = shapely.get_coordinates(parts, return_index=True)
        same = pidx[1:] == pidx[:-1]
        a, b = pcoords[:-1][same], pcoords[1:][same]
        self.unit = part_of[pidx[:-1][same]]
        self.segments = shapely.linestrings(np.stack([a, b], axis=1))
        self.iso3 = np.asarray(iso3, dtype=object)[self.unit] if len(self.unit) else np.array([], dtype=object)
        self._trees: dict[str | None, tuple] = {}
        del coords, line_of

    def _tree(self, country: str | None):
        import numpy as np
        import shapely

        if country not in self._trees:
            ids = np.arange(len(self.segments)) if country is None else np.flatnonzero(self.iso3 == country)
            self._trees[country] = (ids, shapely.STRtree(self.segments[ids]) if len(ids) else None)
        return self._trees[country]

    def nearest(self, points, country: str | None, max_distance_deg: float):
        """(point positions, unit index, nearest segment) for points with a segment within the distance."""
        import numpy as np

        ids, tree = self._tree(country)
        if tree is None or len(points) == 0:
            empty = np.array([], dtype=np.int64)
            return empty, empty, np.array([], dtype=object)
        pt, seg = tree.query_nearest(points, max_distance=max_distance_deg, all_matches=False)
        seg = ids[seg]
        return pt, self.unit[seg], self.segments[seg]


def _dilate(mask, k: int):
    """True wherever a True cell lies within ``k`` cells (square window), via a summed-area table."""
    import numpy as np

    ny, nx = mask.shape
    s = np.zeros((ny + 1, nx + 1), dtype=np.int64)
    s[1:, 1:] = mask.astype(np.int64).cumsum(0).cumsum(1)
    i0 = np.clip(np.arange(ny) - k, 0, ny)
    i1 = np.clip(np.arange(ny) + k + 1, 0, ny)
    j0 = np.clip(np.arange(nx) - k, 0, nx)
    j1 = np.clip(np.arange(nx) + k + 1, 0, nx)
    total = s[i1][:, j1] - s[i0][:, j1] - s[i1][:, j0] + s[i0][:, j0]
    return total > 0


__all__ = ["Locator", "NearestEdge", "EMPTY", "MIXED"]
