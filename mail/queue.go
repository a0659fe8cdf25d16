package mail

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"
	gomail "github.com/wneessen/go-mail"
)

// maxAttempts is how often the queue tries a mail before it gives up: with
// River's backoff (attempt⁴ seconds), about a day and a half.
const maxAttempts = 15

// Args is the queued job that sends one message.
type Args struct {
	Message
}

// Kind names the job in the queue.
func (Args) Kind() string { return "mail" }

// InsertOpts bounds the retries of a mail.
func (Args) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: maxAttempts} }

// Worker sends the queued mails. A refusal that no retry changes (a 5xx
// answer, a bad address) ends the job; anything else is tried again later.
type Worker struct {
	river.WorkerDefaults[Args]
	Sender *Sender
}

// Work sends the job's message.
func (w *Worker) Work(ctx context.Context, job *river.Job[Args]) error {
	err := w.Sender.Send(ctx, job.Args.Message)
	var se *gomail.SendError
	if errors.Is(err, errPermanent) || errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
		return river.JobCancel(err)
	}
	return err
}

// Timeout bounds one attempt: the sender's own timeout and a little more.
func (w *Worker) Timeout(*river.Job[Args]) time.Duration { return w.Sender.s.timeout + 2*time.Second }

// Register adds the mail worker to workers.
func (w *Worker) Register(workers *river.Workers) { river.AddWorker(workers, w) }

// Queue puts mails on the instance's job queue.
type Queue struct {
	// Insert adds a job to the queue (the federation node's Enqueue).
	Insert func(ctx context.Context, args river.JobArgs) error
}

// Send queues m; the Worker sends it.
func (q *Queue) Send(ctx context.Context, m Message) error {
	return q.Insert(ctx, Args{Message: m})
}
