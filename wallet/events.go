package wallet

import (
	"sync"
	"time"
)

// EventKind names what happened to a payment.
type EventKind string

// Event kinds published by the Service.
const (
	// EventReceived: a new payment request arrived and awaits the user's
	// confirmation (status PROCESSING).
	EventReceived EventKind = "RECEIVED"
	// EventDecided: a payment reached SUCCEEDED or FAILED.
	EventDecided EventKind = "DECIDED"
	// EventCancelled: Alipay+ closed the payment; any debit went back.
	EventCancelled EventKind = "CANCELLED"
	// EventRefunded: part or all of a payment went back to the user.
	EventRefunded EventKind = "REFUNDED"
)

// Event is a change to a payment, published after it is committed.
type Event struct {
	Kind    EventKind
	Payment Payment
	// Refund is set for EventRefunded.
	Refund *Refund
	At     time.Time
}

// broker fans events out to subscribers without ever blocking the
// publisher: a subscriber that falls behind by more than its buffer loses
// events (and can re-read the ledger), the wallet never stalls.
type broker struct {
	mu   sync.Mutex
	next int
	subs map[int]chan Event
}

func newBroker() *broker { return &broker{subs: map[int]chan Event{}} }

func (b *broker) publish(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.subs {
		select {
		case ch <- e:
		default:
		}
	}
}

// Subscribe returns a channel of payment events with the given buffer (at
// least 1) and a function that ends the subscription and closes the channel.
func (s *Service) Subscribe(buffer int) (<-chan Event, func()) {
	if buffer < 1 {
		buffer = 1
	}
	b := s.events
	ch := make(chan Event, buffer)
	b.mu.Lock()
	id := b.next
	b.next++
	b.subs[id] = ch
	b.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.subs, id)
			b.mu.Unlock()
			close(ch)
		})
	}
}
