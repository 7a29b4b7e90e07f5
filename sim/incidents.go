package sim

import "math"

// A brand's mistake (an incident) lives in four steps. planMistakes, at
// the start of a day, decides whether the brand makes one and whether a
// hidden one is found out; meetMistakes, at the end of the day, lets
// today's mistake reach current customers, who remember a hidden one as
// witnesses, and the news of one found out reach every aware customer;
// recordWitnesses, in the day's tally, adds the new witnesses to those
// whose number makes discovery likelier.

// planMistakes draws brand b's mistakes of the day from the brand
// stream: a hidden mistake is found out with a chance that grows with
// the customers who met it, since any of them may expose it, and a new
// mistake is made with the brand's incident rate.
func (m *Market) planMistakes(b int) {
	r := m.brandSrc.Rand()
	br := &m.brands[b]
	br.exposed = false
	if br.pendingWitnesses > 0 {
		found := 1 - math.Pow(1-m.params.Incidents.Discovery, float64(br.pendingWitnesses))
		if r.Float64() < found {
			br.exposed = true
			br.pendingWitnesses = 0
		}
	}
	br.incident = r.Float64() < br.Trust.IncidentRate
}

// meetMistakes applies brand b's mistake of the day to customer c, and
// the news of a hidden mistake found out: an aware customer who hears
// the news loses trust, and one who met the mistake and still uses the
// brand may turn detractor. A mistake admitted at once hurts less; a
// hidden one makes its customer a witness.
func (m *Market) meetMistakes(w *worker, c, b int, a *chunkTotals) {
	br := &m.brands[b]
	inc := &m.params.Incidents
	ev := &m.params.Evidence
	i := m.at(c, b)
	f := m.flags[i]
	if br.exposed {
		if f&flagAware != 0 && w.src.Uniform() < inc.NewsReach {
			m.trustNeg[i] += float32(inc.Exposure * inc.Harm * ev.Negativity)
			if f&flagWitness != 0 && m.status[i].Current() && w.src.Uniform() < m.params.Satisfaction.Detraction {
				m.status[i] = StatusDetractor
			}
		}
		f &^= flagWitness
	}
	if br.incident && m.status[i].Current() && w.src.Uniform() < br.Trust.IncidentReach {
		harm := inc.Harm * ev.Negativity
		if br.Trust.Response == ResponseAdmit {
			harm *= inc.AdmitFactor
			a.compensated++
		} else {
			f |= flagWitness
			a.witnesses++
		}
		m.trustNeg[i] += float32(harm)
	}
	m.flags[i] = f
}

// recordWitnesses adds the day's new witnesses of brand b's hidden
// mistakes and writes the day's incident counts into its metrics.
func (m *Market) recordWitnesses(b int, witnesses int64) {
	br := &m.brands[b]
	br.pendingWitnesses += witnesses
	if br.incident {
		m.metrics[b].Incidents = 1
	}
	if br.exposed {
		m.metrics[b].IncidentsExposed = 1
	}
}
