// Package demo loads a small sample directory: the public project list of
// Cooperation Milwaukee, described in our own words, so that a new instance
// has something to show. Every enterprise and listing is marked Demo.
//
// The entries carry no street addresses and no contact details: locations
// are city level ("Milwaukee, WI" at the city centre) and website, email and
// phone are left empty, because we do not publish details we have not been
// given.
package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/coopdir/coopdir/directory"
)

// ErrNotEmpty is returned by Load when the directory already has an
// enterprise: the demo is only ever loaded into an empty directory.
var ErrNotEmpty = errors.New("demo: the directory is not empty; nothing loaded")

// Milwaukee's city centre, the location of every demo entry.
const (
	cityAddress = "Milwaukee, WI"
	cityLat     = 43.0389
	cityLon     = -87.9065
)

// Load stores the demo enterprises with their needs, offers and one
// announcement each, acting as the instance itself. The enterprises are
// created in one transaction (an import); listings and announcements follow
// one by one. If the directory holds any enterprise (local or a partner's),
// Load changes nothing and returns ErrNotEmpty.
func Load(ctx context.Context, svc *directory.Service) error {
	ctx = directory.AsSystem(ctx)
	page, err := svc.SearchEnterprises(ctx, directory.EnterpriseQuery{Origin: directory.OriginAll, Page: directory.Page{PerPage: 1}})
	if err != nil {
		return fmt.Errorf("demo: check that the directory is empty: %w", err)
	}
	if page.Total > 0 {
		return ErrNotEmpty
	}
	entries := Entries()
	rows := make([]directory.ImportRow, len(entries))
	for i, e := range entries {
		rows[i] = directory.ImportRow{Line: i + 1, Enterprise: e.Enterprise}
	}
	if _, err := svc.ImportEnterprises(ctx, rows, directory.ImportOptions{}); err != nil {
		return fmt.Errorf("demo: enterprises: %w", err)
	}
	for _, e := range entries {
		for _, l := range e.Listings {
			if err := svc.CreateListing(ctx, e.Handle, l); err != nil {
				return fmt.Errorf("demo: listing %q of %s: %w", l.Title, e.Handle, err)
			}
		}
		for _, a := range e.Announcements {
			if err := svc.CreateAnnouncement(ctx, e.Handle, a); err != nil {
				return fmt.Errorf("demo: announcement of %s: %w", e.Handle, err)
			}
		}
	}
	return nil
}

// Entry is one demo enterprise with what it posts.
type Entry struct {
	*directory.Enterprise
	Listings      []*directory.Listing
	Announcements []*directory.Announcement
}

// Entries returns fresh copies of the demo data, each enterprise, listing
// and announcement marked Demo.
func Entries() []Entry {
	entries := []Entry{mkeMesh(), toolLibrary(), flora(), shakyHands(), mutualAid()}
	for _, e := range entries {
		e.Demo = true
		e.Location = cityLocation()
		if len(e.Languages) == 0 {
			e.Languages = []string{"en"}
		}
		for _, l := range e.Listings {
			l.Demo = true
		}
		for _, a := range e.Announcements {
			a.Demo = true
		}
	}
	return entries
}

func cityLocation() directory.Location {
	lat, lon := cityLat, cityLon
	return directory.Location{Address: cityAddress, Lat: &lat, Lon: &lon}
}

func need(cat directory.Category, title, description string) *directory.Listing {
	return &directory.Listing{Type: directory.Need, Category: cat, Title: title, Description: description}
}

func offer(cat directory.Category, title, description string) *directory.Listing {
	return &directory.Listing{Type: directory.Offer, Category: cat, Title: title, Description: description}
}

func post(content string) []*directory.Announcement {
	return []*directory.Announcement{{Content: content}}
}

// spanish is an entry's Spanish translation.
func spanish(title, text string) directory.Translations {
	return directory.Translations{"es": {Title: title, Text: text}}
}

// inSpanish gives l a Spanish title and description.
func inSpanish(l *directory.Listing, title, text string) *directory.Listing {
	l.Translations = spanish(title, text)
	return l
}

func mkeMesh() Entry {
	return Entry{
		Enterprise: &directory.Enterprise{
			Handle: "mkemesh", Name: "MKE Mesh Cooperative", Kind: directory.KindCommunityNetwork,
			Sectors: []string{"internet", "digital inclusion", "mesh networking"},
			Summary: "A community-owned wireless network bringing **low-cost internet** to " +
				"Milwaukee households. Neighbors share rooftop antennas and link them into a " +
				"mesh, so connectivity is run by the people who use it, not sold to them.",
			Languages: []string{"en", "es"},
			Translations: spanish("Cooperativa MKE Mesh", "Una red inalámbrica comunitaria que lleva "+
				"**internet a bajo costo** a los hogares de Milwaukee. Los vecinos comparten antenas en "+
				"los techos y las enlazan en una malla: la conexión la gestiona la gente que la usa."),
		},
		Listings: []*directory.Listing{
			inSpanish(need("space", "Rooftop access for mesh nodes",
				"We are looking for building owners and co-ops willing to host a small antenna "+
					"on a roof with a clear line of sight. Nodes draw little power."),
				"Acceso a techos para nodos de la malla",
				"Buscamos dueños de edificios y cooperativas dispuestos a alojar una pequeña antena "+
					"en un techo con línea de vista despejada. Los nodos consumen poca energía."),
			inSpanish(offer("tech", "Home internet installs",
				"Volunteers install and configure a node for member households and show "+
					"how to keep it running."),
				"Instalación de internet en casa",
				"Voluntarios instalan y configuran un nodo en los hogares socios y enseñan a mantenerlo."),
		},
		Announcements: post("Thinking about joining the mesh? We are mapping interested " +
			"blocks now — post a need or reach out through the network."),
	}
}

func toolLibrary() Entry {
	return Entry{
		Enterprise: &directory.Enterprise{
			Handle: "mketoollibrary", Name: "Milwaukee Tool Library", Kind: directory.KindToolLibrary,
			Sectors: []string{"tools", "lending", "sharing"},
			Summary: "A lending library for tools, **in planning**: members borrow a drill, " +
				"a ladder or a sewing machine instead of each buying one.",
		},
		Listings: []*directory.Listing{
			need("tools", "Donated hand and power tools",
				"Working tools in good condition to start the collection: drills, saws, "+
					"clamps, ladders, garden tools."),
			need("space", "A space to house the library",
				"A storefront, garage or basement room with regular access, where tools "+
					"can be shelved and lent out."),
		},
		Announcements: post("The tool library is in planning. If you have tools gathering " +
			"dust or a spare room, see our needs."),
	}
}

func flora() Entry {
	return Entry{
		Enterprise: &directory.Enterprise{
			Handle: "floracoop", Name: "Flora Cooperative", Kind: directory.KindWorkerCoop,
			Sectors: []string{"painting", "construction", "union shop"},
			Summary: "A worker-owned painting co-op and union shop, a member of the " +
				"painters' union. The painters own the business they work in.",
		},
		Listings: []*directory.Listing{
			offer("labor", "Painting for co-op spaces",
				"Interior and exterior painting by union painters for co-ops, community "+
					"spaces and nonprofits."),
		},
		Announcements: post("Flora is booking painting work for the coming season; " +
			"co-ops and community spaces welcome."),
	}
}

func shakyHands() Entry {
	return Entry{
		Enterprise: &directory.Enterprise{
			Handle: "shakyhands", Name: "Shaky Hands", Kind: directory.KindWorkerCoop,
			Sectors: []string{"screen printing", "apparel", "union shop"},
			Summary: "A worker-owned screen-printing co-op: shirts, posters and " +
				"merchandise printed by the people who own the shop.",
		},
		Listings: []*directory.Listing{
			offer("goods", "Union-printed shirts for campaigns",
				"Short runs of shirts and tote bags for organising drives, strikes and "+
					"co-op events, printed in a union shop."),
		},
		Announcements: post("Organising a campaign? Shaky Hands prints shirts and posters " +
			"for union drives and co-op events."),
	}
}

func mutualAid() Entry {
	return Entry{
		Enterprise: &directory.Enterprise{
			Handle: "mutualaidfund", Name: "Cooperation Milwaukee Mutual Aid Fund", Kind: directory.KindMutualAid,
			Sectors: []string{"mutual aid", "emergency relief", "food"},
			Summary: "The network's mutual-aid fund: members pool money and time to help " +
				"each other through emergencies, no strings attached.",
			Languages: []string{"en", "es"},
			Translations: spanish("Fondo de Ayuda Mutua de Cooperation Milwaukee",
				"El fondo de ayuda mutua de la red: los socios juntan dinero y tiempo para ayudarse "+
					"en las emergencias, sin condiciones."),
		},
		Listings: []*directory.Listing{
			inSpanish(need("labor", "Volunteers for grocery runs",
				"Drivers and helpers to pick up and deliver groceries to neighbours who "+
					"cannot get out."),
				"Voluntarios para llevar compras",
				"Choferes y ayudantes para recoger y entregar compras a vecinos que no pueden salir."),
			inSpanish(offer("food", "Emergency grocery help",
				"Groceries for households in a pinch, delivered by volunteers."),
				"Ayuda de emergencia con las compras",
				"Compras para hogares en apuros, entregadas por voluntarios."),
		},
		Announcements: []*directory.Announcement{{Content: "The mutual-aid fund is looking for volunteers for grocery " +
			"runs — an hour a week makes a difference.",
			Translations: spanish("", "El fondo de ayuda mutua busca voluntarios para llevar compras: "+
				"una hora por semana marca la diferencia.")}},
	}
}
