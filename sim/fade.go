package sim

// fade lets the evidence, irritation and engagement of the chunk's
// customers from lo to hi about brand b fade by the day's factors: what
// a customer learnt is forgotten, irritation wears off, and it drifts
// out of the brand's orbit unless content draws it back.
func (m *Market) fade(w *worker, b, lo, hi int) {
	forget, retain, stay := w.forget, w.retain, w.stay
	first, last := m.at(lo, b), m.at(hi, b)
	trustPos := m.trustPos[first:last]
	// Slices of one length let the compiler drop the bounds checks.
	trustNeg := m.trustNeg[first:last][:len(trustPos)]
	irritation := m.irritation[first:last][:len(trustPos)]
	engagement := m.engagement[first:last][:len(trustPos)]
	for j := range trustPos {
		trustPos[j] *= forget
		trustNeg[j] *= forget
		irritation[j] *= retain
		engagement[j] *= stay
	}
}
