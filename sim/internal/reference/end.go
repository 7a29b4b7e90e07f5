package reference

import "github.com/pushpull/pushpull/sim"

// endDay closes the customer's day with brand b: its voice may fall
// silent, the brand's mistakes reach it, its memory fades and it says
// its word for tomorrow. bought is the brand it bought today, or -1.
func (m *Market) endDay(cu *customer, b, bought int) {
	s := &cu.brands[b]
	m.fallSilent(s, b, bought)
	m.meetMistakes(s, b)
	m.fade(s)
	m.speak(s, b)
}

// fallSilent lets an advocate or detractor who did not renew its voice
// today, by a purchase of the brand or by becoming an advocate, fall
// silent.
func (m *Market) fallSilent(s *standing, b, bought int) {
	speaker := s.status == sim.StatusAdvocate || s.status == sim.StatusDetractor
	if speaker && !s.newVoice && bought != b && m.chance(m.p.Satisfaction.VoiceFade) {
		s.status = sim.StatusCustomer
	}
}

// meetMistakes applies the news of the brand's hidden mistake found out
// today, then the brand's mistake of today.
func (m *Market) meetMistakes(s *standing, b int) {
	br, inc := &m.brands[b], &m.p.Incidents
	negativity := m.p.Evidence.Negativity
	if br.exposed {
		if s.aware && m.chance(inc.NewsReach) {
			s.neg += inc.Exposure * inc.Harm * negativity
			if s.witness && s.status.Current() && m.chance(m.p.Satisfaction.Detraction) {
				s.status = sim.StatusDetractor
			}
		}
		s.witness = false
	}
	if br.incident && s.status.Current() && m.chance(br.Trust.IncidentReach) {
		harm := inc.Harm * negativity
		if br.Trust.Response == sim.ResponseAdmit {
			harm *= inc.AdmitFactor
		} else {
			s.witness = true
			br.witnessed++
		}
		s.neg += harm
	}
}

// fade discounts trust evidence, irritation and engagement by a day.
func (m *Market) fade(s *standing) {
	s.pos *= m.p.Evidence.Forgetting
	s.neg *= m.p.Evidence.Forgetting
	s.irritation *= m.p.Irritation.Retention
	s.engagement *= 1 - m.p.Engagement.Decay
}

// speak sets what the customer says about brand b tomorrow: advocates
// praise it every day, or a new advocate tells each friend once; detractors
// complain; an engaged member of a co-creation platform may post its
// content to all its friends, even before buying.
func (m *Market) speak(s *standing, b int) {
	once := m.p.WordOfMouth.Mode == sim.WOMOnce
	pull := &m.brands[b].Pull
	s.says = voice{
		praise:   s.status == sim.StatusAdvocate && !once,
		complain: s.status == sim.StatusDetractor,
		tell:     s.newVoice && once,
		post:     pull.CoCreation > 0 && s.engagement >= m.p.Engagement.ShareAt && s.engagement > 0 && !s.blocked && m.chance(pull.CoCreation),
	}
	s.newVoice = false
}
