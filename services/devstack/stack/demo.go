package stack

import (
	"context"

	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	eventsv1 "github.com/cc4dr/coalition/proto/coalition/events/v1"
	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	eventssvc "github.com/cc4dr/coalition/services/events/service"
	"github.com/cc4dr/coalition/services/kit/auth"
	membershipsvc "github.com/cc4dr/coalition/services/membership/service"
)

// demoMarker is written once demo data is in, so a restart does not load it again.
const demoMarker = "demo-data-loaded"

// LoadDemoDataOnce loads demonstration data through the services' own gRPC
// APIs (as a coordinator would), unless it was loaded before.
func (s *Stack) LoadDemoDataOnce(ctx context.Context) error {
	marker := filepath.Join(s.cfg.DataDir, demoMarker)
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	if err := s.loadDemoData(ctx); err != nil {
		return err
	}
	if err := os.WriteFile(marker, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644); err != nil {
		return fmt.Errorf("demo data marker: %w", err)
	}
	s.log.Info("demo data loaded")
	return nil
}

func (s *Stack) loadDemoData(ctx context.Context) error {
	token, err := s.Token("demo-loader", optionsv1.Role_ROLE_COORDINATOR, time.Hour)
	if err != nil {
		return err
	}
	dial := func(addr string) (*grpc.ClientConn, error) {
		return grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithPerRPCCredentials(auth.BearerToken(token)), grpc.WithDefaultCallOptions(grpc.WaitForReady(true)))
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	mconn, err := dial(s.addrs.Membership)
	if err != nil {
		return fmt.Errorf("dial membership: %w", err)
	}
	defer mconn.Close()
	members := membershipv1.NewMembershipServiceClient(mconn)
	if err := membershipsvc.LoadDemoData(ctx, members); err != nil {
		return err
	}

	pconn, err := dial(s.addrs.Petition)
	if err != nil {
		return fmt.Errorf("dial petition: %w", err)
	}
	defer pconn.Close()
	petitions := petitionv1.NewPetitionServiceClient(pconn)
	for _, req := range demoPetitions() {
		if _, err := petitions.CreatePetition(ctx, req); ignoreExists(err) != nil {
			return fmt.Errorf("demo petition %s: %w", req.GetCity(), err)
		}
	}

	econn, err := dial(s.addrs.Events)
	if err != nil {
		return fmt.Errorf("dial events: %w", err)
	}
	defer econn.Close()
	assemblies := eventsv1.NewEventsServiceClient(econn)
	for _, req := range eventssvc.DemoData(time.Now()) {
		if _, err := assemblies.ScheduleAssembly(ctx, req); ignoreExists(err) != nil {
			return fmt.Errorf("demo assembly %s: %w", req.GetTitle(), err)
		}
	}
	s.log.Debug("demo data created", zap.Int("petitions", len(demoPetitions())))
	return nil
}

func ignoreExists(err error) error {
	if status.Code(err) == codes.AlreadyExists {
		return nil
	}
	return err
}

// demoPetitions are residents' petitions for cities that are not (yet) members.
func demoPetitions() []*petitionv1.CreatePetitionRequest {
	return []*petitionv1.CreatePetitionRequest{
		{
			City: "Valencia", Country: "ES", Region: "Valencian Community", Goal: 1000,
			Texts: []*petitionv1.PetitionText{
				{Language: "en", Title: "Valencia, join the Cities Coalition for Digital Rights",
					Body: "We ask our city council to make a clear political commitment to digital rights and join the coalition."},
				{Language: "es", Title: "Valencia, únete a la Coalición de Ciudades por los Derechos Digitales",
					Body: "Pedimos al ayuntamiento un compromiso político claro con los derechos digitales y que se una a la coalición."},
				{Language: "ca", Title: "València, uneix-te a la Coalició de Ciutats pels Drets Digitals",
					Body: "Demanem a l'ajuntament un compromís polític clar amb els drets digitals i que s'uneixi a la coalició."},
			},
		},
		{
			City: "Coimbra", Country: "PT", Region: "Centro", Goal: 500,
			Texts: []*petitionv1.PetitionText{
				{Language: "pt", Title: "Coimbra, junte-se à Coligação de Cidades pelos Direitos Digitais",
					Body: "Pedimos à câmara municipal que se comprometa com os direitos digitais e adira à coligação."},
				{Language: "en", Title: "Coimbra, join the Cities Coalition for Digital Rights",
					Body: "We ask our city council to commit to digital rights and join the coalition."},
			},
		},
		{
			City: "Ghent", Country: "BE", Region: "Flanders", Goal: 750,
			Texts: []*petitionv1.PetitionText{
				{Language: "en", Title: "Ghent, join the Cities Coalition for Digital Rights",
					Body: "Privacy, open standards and equal access online deserve a city that stands up for them."},
				{Language: "fr", Title: "Gand, rejoignez la Coalition des villes pour les droits numériques",
					Body: "La vie privée, les standards ouverts et l'accès égal en ligne méritent une ville qui les défend."},
			},
		},
	}
}
